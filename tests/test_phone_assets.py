"""Light and offline, server side: hashed static files, compression, service worker, manifest, pages."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest

from app.assets import ONE_YEAR
from app.cli import create_demo_accounts
from config import BASE_DIR
from tests.conftest import AuthActions

TEMPLATES = BASE_DIR / "templates"
STATIC = BASE_DIR / "static"


def static_url(app, filename: str) -> str:
    from flask import url_for

    with app.test_request_context():
        return url_for("static", filename=filename)


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(app, client):
    url = static_url(app, "css/app.css")
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{10}\.css", url)
    with client.get(url) as response:
        assert response.status_code == 200 and response.mimetype == "text/css"
        assert response.cache_control.max_age == ONE_YEAR
        assert response.cache_control.public and response.cache_control.immutable
    # An old hash (a page kept from a previous version) still gets the current file, briefly cached.
    with client.get("/static/css/app.0123456789.css") as response:
        assert response.status_code == 200 and not response.cache_control.immutable
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200 and not response.cache_control.immutable
    assert client.get("/static/css/absent.0123456789.css").status_code == 404


def edit_a_static_file(make_app, tmp_path, debug: bool):
    """The URL of a static file before and after its content changes, and the app."""
    app = make_app(DEBUG=debug)
    app.static_folder = str(tmp_path / "static")
    style = tmp_path / "static" / "style.css"
    style.parent.mkdir()
    style.write_text("body { color: black; }")
    before = static_url(app, "style.css")
    style.write_text("body { color: darkblue; }")
    return app, before, static_url(app, "style.css")


def test_a_running_server_hashes_each_static_file_once(make_app, tmp_path):
    _app, before, after = edit_a_static_file(make_app, tmp_path, debug=False)
    assert after == before


def test_in_debug_mode_an_edited_static_file_gets_its_new_hash_at_once(make_app, tmp_path):
    app, before, after = edit_a_static_file(make_app, tmp_path, debug=True)
    assert after != before
    client = app.test_client()
    with client.get(after) as response:
        assert response.get_data(as_text=True) == "body { color: darkblue; }"
        assert response.cache_control.immutable
    with client.get(before) as response:  # the old hash: the current file, briefly cached
        assert response.get_data(as_text=True) == "body { color: darkblue; }"
        assert not response.cache_control.immutable


def test_pages_and_static_files_are_compressed(app, client, auth):
    auth.login()
    page = client.get("/lecons/demo-premiers-pas", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in page.headers["Vary"]
    with client.get(static_url(app, "js/app.js"), headers={"Accept-Encoding": "gzip"}) as script:
        assert script.headers["Content-Encoding"] == "gzip"


def test_service_worker_is_served_from_the_root_with_the_current_files(app, client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.cache_control.no_cache
    text = response.get_data(as_text=True)
    for filename in ("css/app.css", "js/app.js"):
        assert json.dumps(static_url(app, filename)) in text
    assert '"/hors-ligne"' in text
    never_kept = json.loads(re.search(r"const NEVER_KEPT = (\[.*\]);", text).group(1))
    assert {"/animation/", "/connexion", "/mes-donnees"} <= set(never_kept)
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_manifest_makes_the_app_installable():
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text())
    assert {"name", "short_name", "start_url", "theme_color", "background_color"} <= manifest.keys()
    assert manifest["display"] == "standalone" and manifest["lang"] == "fr"
    sizes = set()
    for icon in manifest["icons"]:
        path = STATIC / icon["src"].removeprefix("/static/")
        width, height = png_size(path)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


def test_favicon_and_offline_page_answer_without_signing_in(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    offline = client.get("/hors-ligne").get_data(as_text=True)
    assert "Pas de connexion" in offline


def test_accessibility_statement_is_honest_and_linked_from_every_page(make_app):
    app = make_app(CONTACT_EMAIL="accessibilite@asso.example")
    client = app.test_client()
    page = client.get("/accessibilite").get_data(as_text=True)
    assert "partiellement conforme au RGAA 4.1" in page and "WCAG 2.1" in page
    assert "Ce qui n&#39;est pas encore conforme" in page or "Ce qui n'est pas encore conforme" in page
    assert 'href="mailto:accessibilite@asso.example"' in page
    assert "Défenseur des droits" in page
    login = client.get("/connexion").get_data(as_text=True)
    assert 'href="/accessibilite">Accessibilité : partiellement conforme</a>' in login


def test_without_a_contact_email_the_statement_points_to_the_facilitators(client):
    page = client.get("/accessibilite").get_data(as_text=True)
    assert "mailto:" not in page and "votre animatrice ou à votre animateur" in page


def template_and_static_files():
    yield from TEMPLATES.rglob("*.html")
    yield from (STATIC / "js").rglob("*.js")
    yield from (STATIC / "css").rglob("*.css")


@pytest.mark.parametrize("path", list(template_and_static_files()), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_nothing_breaks_the_strict_content_security_policy(path):
    text = path.read_text()
    assert not re.search(r"\sstyle=", text), "inline style attribute"
    assert not re.search(r"\son[a-z]+=\"", text), "inline event handler"
    assert "javascript:" not in text
    for script in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in script or 'type="application/json"' in script, script
    # Nothing from another host: no CDN, no web font, no tracker.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)


def test_files_carry_only_the_headers_a_browser_uses_for_them(app, client, auth):
    auth.login()
    page = client.get("/lecons/demo-premiers-pas")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    for url in (static_url(app, "css/app.css"), static_url(app, "js/app.js"), "/sw.js"):
        with client.get(url) as response:
            assert response.status_code == 200
            headers = response.headers
            assert headers["X-Content-Type-Options"] == "nosniff"
            for page_only in ("X-Frame-Options", "Permissions-Policy", "Cross-Origin-Opener-Policy", "Referrer-Policy"):
                assert page_only not in headers, (url, page_only)
            assert "Content-Disposition" not in headers and "Expires" not in headers
            assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")
    with client.get(static_url(app, "css/app.css")) as hashed:
        assert "ETag" not in hashed.headers and "Last-Modified" not in hashed.headers  # never asked again
    with client.get("/static/css/app.css") as unhashed:
        assert "ETag" in unhashed.headers  # revalidated


def test_pictures_are_compressed_and_run_nothing_when_opened_alone(make_app):
    app = make_app(COMPRESS_MIN_SIZE=100)  # the fixture's picture is smaller than real ones
    with app.app_context():
        create_demo_accounts()
    client = app.test_client()
    AuthActions(client).login()
    with client.get("/lecons/media/demo/images/telephone.svg", headers={"Accept-Encoding": "gzip"}) as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/svg+xml"
        assert picture.headers["Content-Encoding"] == "gzip"
    policy = picture.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script" not in policy


def test_the_service_worker_never_rewrites_the_session_cookie(client, auth):
    auth.login()
    assert "Set-Cookie" not in client.get("/sw.js").headers
    client.get("/connexion")  # an anonymous visitor's session, as on the sign-in page
    assert "Set-Cookie" not in client.get("/sw.js").headers


def person_of(html: str) -> str | None:
    match = re.search(r'<meta name="pasapas-person" content="([^"]+)">', html)
    return match.group(1) if match else None


def test_pages_name_the_person_signed_in_for_the_service_worker(client, auth):
    assert person_of(client.get("/connexion").get_data(as_text=True)) is None
    auth.login()
    amina = {person_of(client.get(url).get_data(as_text=True)) for url in ("/", "/lecons/demo-premiers-pas", "/parcours")}
    assert len(amina) == 1 and None not in amina
    (amina,) = amina
    assert "amina" not in amina
    auth.logout()
    assert person_of(client.get("/connexion").get_data(as_text=True)) is None
    auth.login("josiane", "josiane-demo")
    assert person_of(client.get("/").get_data(as_text=True)) not in (None, amina)
