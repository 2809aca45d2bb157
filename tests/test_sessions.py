"""Sessions the server can end, sign-out that signs out, cards that ask before switching, and
wrong passwords that slow down without locking anyone out."""

from __future__ import annotations

import logging
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import select, update
from werkzeug.serving import make_server

from app import create_app, hashing
from app.auth import throttle
from app.auth.services import card_url
from app.extensions import db
from app.facilitate import accounts
from app.models import SignInThrottle, User
from config import TestingConfig
from tests.conftest import csrf_token
from tests.facilitate_helpers import login, scan_card, token_from, user_id

AMINA = 3


def saved_cookies(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def replay(app, cookies: dict[str, str], url: str = "/"):
    """Another browser holding a copy of these cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other.get(url)


def remember_only(cookies: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in cookies.items() if name == "remember_token"}


def facilitator_posts(app, path: str, data: dict | None = None):
    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    # Confirmed, as the page that asks first sends it.
    return staff.post(path, data={"csrf_token": token_from(staff, "/animation/"), "confirmed": "1", **(data or {})})


def test_sign_out_with_stay_signed_in_ticked_asks_for_the_password_again(client, auth):
    auth.login(remember=True)
    assert client.get("/").status_code == 200
    response = auth.logout()
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=;") for c in cookies)  # deleted
    response = client.get("/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == "/connexion" and 'name="password"' in page  # the password is asked again
    assert "Bonjour" not in page


def test_a_copy_of_the_cookies_stops_working_at_sign_out(app, client, auth):
    auth.login(remember=True)
    copy = saved_cookies(client)
    auth.logout()
    for saved in (copy, remember_only(copy)):
        response = replay(app, saved)
        assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")


def test_the_cookies_carry_a_random_token_not_the_account_number(app, client, auth):
    auth.login(remember=True)
    remember = saved_cookies(client)["remember_token"]
    with app.app_context():
        token = db.session.get(User, AMINA).session_token
    assert remember.split("|")[0] == token and len(token) >= 40


@pytest.mark.parametrize("event", ["password reset", "card printed", "card revoked", "deactivated", "signed out everywhere"])
def test_saved_cookies_stop_working_after_each_event(app, client, auth, event):
    auth.login(remember=True)
    cookies = saved_cookies(client)
    assert replay(app, cookies).status_code == 200
    assert replay(app, remember_only(cookies)).status_code == 200
    if event == "password reset":
        facilitator_posts(app, f"/animation/participants/{AMINA}/mot-de-passe")
    elif event == "card printed":
        facilitator_posts(app, "/animation/groupes/1/cartes", {"learners": [AMINA], "passwords": "keep", "picture_codes": "keep"})
    elif event == "card revoked":
        facilitator_posts(app, f"/animation/participants/{AMINA}/carte/revoquer")
    elif event == "deactivated":
        facilitator_posts(app, f"/animation/participants/{AMINA}/statut", {"active": "0"})
    else:
        facilitator_posts(app, f"/animation/participants/{AMINA}/deconnexion")
    for saved in (cookies, remember_only(cookies)):
        response = replay(app, saved)
        assert response.status_code == 302 and response.headers["Location"].startswith("/connexion"), event


def test_a_participant_signs_out_everywhere_from_my_data(app, client, auth):
    auth.login(remember=True)
    phone = saved_cookies(client)
    page = client.get("/mes-donnees").get_data(as_text=True)
    assert "Se déconnecter partout" in page and 'action="/deconnexion"' in page
    response = client.post("/deconnexion", data={"csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/connexion"
    assert replay(app, phone).status_code == 302
    assert client.get("/").status_code == 302


def test_anonymisation_ends_the_sessions_and_cannot_be_undone(app, client, auth):
    auth.login(remember=True)
    cookies = saved_cookies(client)
    admin = app.test_client()
    login(admin, "admin", "admin-demo")
    with app.app_context():
        db.session.execute(update(User).where(User.id == AMINA).values(deletion_requested_at=db.func.now()))
        db.session.commit()
    token = token_from(admin, "/animation/confidentialite")
    assert admin.post(f"/animation/confidentialite/{AMINA}/anonymiser", data={"csrf_token": token}).status_code == 302
    assert replay(app, cookies).status_code == 302
    # Never reactivated, given a password or a card again.
    for path, data in ((f"/animation/participants/{AMINA}/statut", {"active": "1"}), (f"/animation/participants/{AMINA}/mot-de-passe", {})):
        response = admin.post(path, data={"csrf_token": token, "confirmed": "1", **data}, follow_redirects=True)
        assert "Ce compte est anonymisé" in response.get_data(as_text=True)
    with app.app_context():
        amina = db.session.get(User, AMINA)
        assert not amina.active
        with pytest.raises(accounts.AccountError):
            accounts.print_cards([amina], new_passwords=False, actor=amina)
        labels = set(db.session.scalars(select(db.text("subject_label")).select_from(db.table("audit_event")).where(db.text(f"subject_id = {AMINA}"))))
        assert labels == {"Anonyme"}


# Cards -------------------------------------------------------------------------------------


def a_card(app, username="amina") -> str:
    with app.app_context():
        person = db.session.get(User, user_id(username))
        return accounts.print_cards([person], new_passwords=False, actor=person)[0].token


def test_a_card_scanned_where_someone_else_is_signed_in_asks_first(app, client, auth):
    token = a_card(app, "josiane")
    auth.login()  # amina on this phone
    page = client.get(f"/connexion/carte/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Le compte d&#39;Amina est ouvert sur ce téléphone. Continuer avec le compte de Josiane ?" in html
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    assert token not in re.sub(r'name="token"[^>]*value="[^"]+"|value="[^"]+"[^>]*name="token"', "", html)  # only in the form
    assert "Amina" in client.get("/").get_data(as_text=True)  # nothing switched by opening the page
    client.post("/connexion/carte", data={"csrf_token": csrf_token(html), "token": token})
    assert "Josiane" in client.get("/").get_data(as_text=True)


def test_card_tokens_never_reach_a_log_line(app, client, caplog):
    token = a_card(app)
    werkzeug_log = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO):
        scan_card(client, token)
        # What the development server and gunicorn write for each request.
        werkzeug_log.info('127.0.0.1 - - [01/Dec/2026 18:00:00] "GET /connexion/carte/%s HTTP/1.1" 200 -', token)
        logging.getLogger("gunicorn.access").info('"GET /connexion/carte/%s HTTP/1.1" 200 "http://h/connexion/carte/%s"', token, token)
    assert caplog.records and all(token not in record.getMessage() for record in caplog.records)
    assert any("/connexion/carte/…" in record.getMessage() for record in caplog.records)


def test_card_urls_come_from_base_url_not_from_the_host_header(make_app):
    app = make_app(BASE_URL="https://pasapas.example.org/")
    with app.test_request_context("/animation/groupes/1/cartes", headers={"Host": "evil.example"}):
        assert card_url("abc") == "https://pasapas.example.org/connexion/carte/abc"
    without = make_app()
    with without.test_request_context("/", headers={"Host": "pasapas.local"}):
        assert card_url("abc") == "http://pasapas.local/connexion/carte/abc"


def test_only_trusted_hosts_are_answered(make_app):
    app = make_app(TRUSTED_HOSTS=["pasapas.example.org"])
    assert app.test_client().get("/connexion", headers={"Host": "pasapas.example.org"}).status_code == 200
    response = app.test_client().get("/connexion", headers={"Host": "evil.example"})
    assert response.status_code == 400


# Wrong passwords ---------------------------------------------------------------------------


def sign_in(client, username, password, address="10.0.0.1"):
    page = client.get("/connexion").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "username": username, "password": password}
    return client.post("/connexion", data=data, environ_base={"REMOTE_ADDR": address})


def test_wrong_passwords_slow_down_then_a_facilitator_lifts_the_wait_and_the_card_still_works(app, client):
    statuses = [sign_in(client, "amina", "faux", f"10.0.0.{i}").status_code for i in range(throttle.FREE_ATTEMPTS)]
    assert statuses == [422] * throttle.FREE_ATTEMPTS
    paused = sign_in(client, "amina", "amina-demo", "10.0.0.99")  # the right one, but it must wait
    assert paused.status_code == 429 and "Attendez 1 minute, ou connectez-vous avec votre carte." in paused.get_data(as_text=True)
    # Not locked: the wait is half a minute, then doubles at each wrong password, up to a quarter of an hour.
    assert throttle.wait_after(throttle.FREE_ATTEMPTS) == timedelta(seconds=30)
    assert throttle.wait_after(throttle.FREE_ATTEMPTS + 1) == timedelta(minutes=1)
    assert throttle.wait_after(100) == throttle.LONGEST_WAIT == timedelta(minutes=15)
    # The same answer for an account that does not exist: no one learns which usernames are real.
    for i in range(throttle.FREE_ATTEMPTS):
        sign_in(client, "personne", "faux", f"10.0.1.{i}")
    assert sign_in(client, "personne", "faux", "10.0.1.99").status_code == 429
    # The card works meanwhile.
    assert scan_card(app.test_client(), a_card(app)).status_code == 302
    # The facilitator sees it on the learner's page and lifts it.
    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    page = staff.get(f"/animation/participants/{AMINA}").get_data(as_text=True)
    assert "Lever l&#39;attente" in page or "Lever l'attente" in page
    staff.post(f"/animation/participants/{AMINA}/attente", data={"csrf_token": csrf_token(page)})
    assert sign_in(app.test_client(), "amina", "amina-demo").status_code == 302


def test_an_hour_without_a_wrong_password_starts_the_count_again(app, client):
    for i in range(throttle.FREE_ATTEMPTS):
        sign_in(client, "amina", "faux", f"10.0.0.{i}")
    with app.app_context():
        db.session.execute(update(SignInThrottle).values(
            last_failure_at=SignInThrottle.last_failure_at - timedelta(hours=2), wait_until=SignInThrottle.wait_until - timedelta(hours=2)))
        db.session.commit()
    assert sign_in(client, "amina", "faux").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(SignInThrottle.failures)) == 1


def test_a_server_error_during_the_check_is_not_counted(app, client, monkeypatch):
    def broken(*_args):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(hashing, "check_password_hash", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    for _ in range(throttle.FREE_ATTEMPTS + 2):
        assert sign_in(client, "amina", "amina-demo").status_code == 500
    monkeypatch.undo()
    assert sign_in(client, "amina", "amina-demo").status_code == 302


def test_forty_wrong_passwords_at_once_are_checked_at_most_five_times(app, monkeypatch):
    """Against a live threaded server, as a script would send them."""
    checks = []
    real = hashing.check_password_hash
    monkeypatch.setattr(hashing, "check_password_hash", lambda *args: checks.append(1) or real(*args))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    browsers = []
    for _ in range(40):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        browsers.append((opener, csrf_token(opener.open(f"{base}/connexion").read().decode())))
    start = threading.Barrier(40)
    statuses = []

    def attempt(opener, token):
        body = urllib.parse.urlencode({"csrf_token": token, "username": "amina", "password": "faux"}).encode()
        start.wait()
        try:
            statuses.append(opener.open(f"{base}/connexion", data=body).status)
        except urllib.error.HTTPError as answer:
            statuses.append(answer.code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in browsers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.shutdown()
    assert len(statuses) == 40 and set(statuses) <= {422, 429}
    assert len(checks) <= throttle.FREE_ATTEMPTS
    assert statuses.count(422) == len(checks)


# What a browser or a service worker may keep -------------------------------------------------


def test_personal_and_facilitator_pages_are_never_stored_and_pages_name_the_session(app, client, auth):
    auth.login()
    for url in ("/mes-donnees", "/mes-donnees/mes-donnees.csv", "/mes-donnees/mes-donnees.json"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    home = client.get("/")
    assert "no-store" not in home.headers.get("Cache-Control", "")
    person = re.search(r'<meta name="pasapas-person" content="([0-9a-f]{24})">', home.get_data(as_text=True)).group(1)
    with app.app_context():
        assert person not in db.session.get(User, AMINA).session_token
    auth.logout()
    assert 'name="pasapas-person"' not in client.get("/connexion").get_data(as_text=True)
    login(client, "animatrice", "animatrice-demo")
    for url in ("/animation/", "/animation/groupes/1", "/animation/groupes/1/export.csv", f"/animation/participants/{AMINA}", "/animation/rapport.csv"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    other = re.search(r'name="pasapas-person" content="([0-9a-f]+)"', client.get("/animation/").get_data(as_text=True)).group(1)
    assert other != person


def test_health_check_reports_a_database_that_cannot_be_written(make_app, tmp_path):
    app = make_app()
    assert app.test_client().get("/healthz").status_code == 200
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("a read-only copy of a SQLite file")
        source = db.engine.url.database
        db.engine.dispose()
    copy = tmp_path / "copie.sqlite"
    shutil.copy(source, copy)
    config = TestingConfig()
    # Opened read-only, as a read-only folder or a full disk leaves it (root ignores file modes).
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///file:{copy}?mode=ro&uri=true"
    readonly = create_app(config)
    response = readonly.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "database unavailable"}
    with readonly.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) >= 0  # it still reads
        db.engine.dispose()
