"""Bad input everywhere: malformed, empty, huge, Unicode, HTML and SQL-looking values in every
URL parameter, every form field and every query parameter. Each gets a 4xx with a French
message, never a 500, and nothing stored changes.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.conftest import csrf_token
from tests.test_route_matrix import SAMPLE_VALUES, add_sample_records

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "<script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "' OR '1'='1' --",
    "1; DROP TABLE user; --",
    "../../etc/passwd",
    "%00\x00nul",
    "🙂🙃" * 50,
    "é" * 5000,
    "x" * 100_000,
    "javascript:alert(1)",
    "=HYPERLINK(\"http://evil\")",
]
# Columns a mere visit may touch; everything else must stay exactly as it was.
VOLATILE_COLUMNS = {"last_seen_at", "last_login_at", "last_used_at"}
# Opening a learner's page to fetch its form writes a line here, by design.
VIEW_LOG_TABLES = {"audit_event"}
# An error page's title, or a form's own message beside the field or at the top.
FRENCH_4XX = re.compile(
    r"<h1>(Demande incorrecte|Page introuvable|Accès refusé|Envoi trop volumineux|Carte périmée|Trop d.{1,5}essais)</h1>"
    r"|class=\"(?:error|flash flash-error)\""
)
FORM = re.compile(r'<form([^>]*)>(.*?)</form>', re.S)
ACTION = re.compile(r'action="([^"]+)"')
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*name="([^"]+)"')


def snapshot() -> str:
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.name in VIEW_LOG_TABLES:
            continue
        columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS]
        for row in db.session.execute(select(*columns).order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture
def admin_client(app, client):
    add_sample_records(app)
    page = client.get("/connexion").get_data(as_text=True)
    client.post("/connexion", data={"csrf_token": csrf_token(page), "username": "admin", "password": "admin-demo"})
    return client


def assert_refused_in_french(response, what):
    assert 400 <= response.status_code < 500, (what, response.status_code)
    text = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        assert '<html lang="fr"' in text, what
        assert FRENCH_4XX.search(text), (what, text[:300])


def test_hostile_url_parameters(app, admin_client):
    client = admin_client
    with app.app_context():
        before = snapshot()
    token = csrf_token(client.get("/mes-donnees").get_data(as_text=True))
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.arguments:
            continue
        for argument in rule.arguments:
            for value in HOSTILE[:12]:
                values = dict(SAMPLE_VALUES) | {argument: value}
                path = rule.rule
                for name in rule.arguments:
                    path = re.sub(rf"<(?:[a-z]+:)?{name}>", lambda _m, v=values[name]: _quote(v), path)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
                    response.close()
                    assert_refused_in_french(response, (rule.endpoint, argument, value[:20]))
    with app.app_context():
        assert snapshot() == before


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="") or "%20"


def forms_of(client, pages):
    found = {}
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        for attributes, body in FORM.findall(html):
            if 'method="post"' not in attributes:
                continue
            action = ACTION.search(attributes).group(1) if ACTION.search(attributes) else page
            action = action.split("#")[0]  # a browser sends the form without its anchor
            fields = [name for name in FIELD.findall(body) if name != "csrf_token"]
            if fields:
                found[action] = (page, sorted(set(fields)))
    return found


FORM_PAGES = [
    "/connexion", "/lecons/demo-premiers-pas", "/lecons/demo-premiers-pas/aide", "/animation/", "/animation/admin", "/animation/groupes/1",
    "/animation/groupes/1/participants/nouveau", "/animation/groupes/1/import", "/animation/groupes/1/cartes",
    "/animation/participants/3",
]


# Wrong in every field: too long for any of them, or carrying a NUL character.
INVALID_EVERYWHERE = ["x" * 100_000, "é" * 5000, "Amina\x00", "\x00"]
# Odd but possibly legitimate somewhere (a message may contain "<" or a quote): never a 500,
# never shown unescaped, and the tables stay whole.
SUSPICIOUS = [value for value in HOSTILE if value not in ("x" * 100_000, "é" * 5000)]
RAW_SCRIPT = "<script>alert(1)</script>"


def each_form_submission(client, forms, values):
    for action, (page, fields) in sorted(forms.items()):
        if action in ("/connexion", "/deconnexion"):
            continue
        for field in fields:
            for value in values:
                token = csrf_token(client.get(page).get_data(as_text=True))
                yield (action, field, value), client.post(action, data={"csrf_token": token, field: value})


def test_invalid_values_in_every_form_field_are_refused_and_change_nothing(app, admin_client):
    forms = forms_of(admin_client, FORM_PAGES)
    # Every form that takes typed input is in the campaign.
    assert {"/animation/admin/groupes", "/animation/admin/animateurs", "/animation/groupes/1/participants/nouveau",
            "/animation/groupes/1/import", "/lecons/demo-premiers-pas/quiz", "/lecons/demo-premiers-pas/aide"} <= set(forms)
    with app.app_context():
        before = snapshot()
    for what, response in each_form_submission(admin_client, forms, INVALID_EVERYWHERE):
        assert_refused_in_french(response, (what[0], what[1], what[2][:20]))
    with app.app_context():
        assert snapshot() == before


def test_suspicious_values_never_break_a_page_or_the_tables(app, admin_client):
    forms = forms_of(admin_client, FORM_PAGES)
    for what, response in each_form_submission(admin_client, forms, SUSPICIOUS):
        assert response.status_code < 500, what
        if response.status_code >= 400:
            assert_refused_in_french(response, what)
    for page in FORM_PAGES + ["/animation/participants/4", "/animation/rapport"]:
        html = admin_client.get(page).get_data(as_text=True)
        assert RAW_SCRIPT not in html, page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) >= 4


def test_hostile_sign_in_values(app, client):
    with app.app_context():
        before = snapshot()
    for field in ("username", "password"):
        for value in HOSTILE[:13]:
            page = client.get("/connexion").get_data(as_text=True)
            data = {"csrf_token": csrf_token(page), "username": "amina", "password": "faux", field: value}
            response = client.post("/connexion", data=data, environ_base={"REMOTE_ADDR": f"10.1.{len(value) % 250}.{ord(field[0])}"})
            assert_refused_in_french(response, (field, value[:20]))
    with app.app_context():
        assert snapshot() == before


def test_hostile_query_parameters(app, admin_client):
    client = admin_client
    for url in ("/animation/rapport", "/animation/rapport.csv", "/animation/groupes/1/cartes", "/connexion"):
        for value in HOSTILE[:13]:
            for name in ("start", "end", "groups", "learner", "next"):
                response = client.get(url, query_string={name: value, "start": value} if name != "start" else {name: value})
                assert response.status_code < 500, (url, name, value[:20])
                if response.status_code >= 400:
                    assert_refused_in_french(response, (url, name, value[:20]))
