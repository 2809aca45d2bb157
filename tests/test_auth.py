"""Signing in: credentials, remember me, rate limit, session cookie, redirects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from app.cli import create_demo_accounts
from tests.conftest import csrf_token


def test_wrong_password_and_unknown_user_get_the_same_french_answer(client, auth):
    wrong = auth.login("amina", "mauvais")
    unknown = auth.login("personne", "mauvais")
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "Identifiant ou mot de passe incorrect" in response.get_data(as_text=True)
    assert wrong.get_data(as_text=True).replace(csrf_token(wrong.get_data(as_text=True)), "") == unknown.get_data(
        as_text=True
    ).replace(csrf_token(unknown.get_data(as_text=True)), "").replace('value="personne"', 'value="amina"')


def test_empty_fields_get_a_message_and_keep_what_was_typed(client):
    page = client.get("/connexion").get_data(as_text=True)
    response = client.post("/connexion", data={"csrf_token": csrf_token(page), "username": "amina", "password": ""})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Écrivez votre mot de passe." in text
    assert 'value="amina"' in text


def test_username_is_not_case_sensitive_and_staff_land_in_their_area(auth):
    assert auth.login("AMINA", "amina-demo").headers["Location"] == "/"
    auth.logout()
    assert auth.login("animatrice", "animatrice-demo").headers["Location"] == "/animation/"


def test_remember_me_keeps_a_phone_signed_in_for_90_days(client, auth):
    response = auth.login(remember=True)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert abs(expires - datetime.now(UTC) - timedelta(days=90)) < timedelta(minutes=5)


def test_session_cookie_is_httponly_and_samesite(client, auth):
    response = auth.login()
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_next_parameter_only_leads_within_the_site(client):
    page = client.get("/connexion").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "username": "amina", "password": "amina-demo"}
    assert client.post("/connexion?next=/parcours", data=data).headers["Location"] == "/parcours"
    client.post("/deconnexion", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    page = client.get("/connexion").get_data(as_text=True)
    data["csrf_token"] = csrf_token(page)
    assert client.post("/connexion?next=//evil.example/x", data=data).headers["Location"] == "/"


def test_deactivated_account_cannot_sign_in(app, auth):
    from app.extensions import db
    from app.models import User

    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "amina").values(active=False))
        db.session.commit()
    assert auth.login().status_code == 422


def test_login_is_rate_limited_with_a_french_message(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = []
    for _ in range(4):
        page = client.get("/connexion").get_data(as_text=True)
        response = client.post("/connexion", data={"csrf_token": csrf_token(page), "username": "x", "password": "y"})
        statuses.append(response.status_code)
    assert statuses == [422, 422, 422, 429]
    assert "Trop d&#39;essais" in response.get_data(as_text=True) or "Trop d'essais" in response.get_data(as_text=True)


def test_passwords_are_stored_hashed_with_scrypt_outside_the_tests(make_app):
    from app.extensions import db
    from app.models import User
    from config import ProductionConfig

    assert ProductionConfig.PASSWORD_HASH_METHOD == "scrypt"
    app = make_app(PASSWORD_HASH_METHOD=ProductionConfig.PASSWORD_HASH_METHOD)
    with app.app_context():
        create_demo_accounts()
        user = db.session.execute(db.select(User).filter_by(username="amina")).scalar_one()
        assert user.password_hash.startswith("scrypt:")
        assert "amina-demo" not in user.password_hash
        assert user.check_password("amina-demo") and not user.check_password("amina-demo ")
