"""Headers, per-account limits, 503 when the database is gone, and clean logs."""

from __future__ import annotations

import json
import logging

import pytest

from tests.conftest import csrf_token


def test_security_headers_on_every_page(client, auth):
    auth.login()
    for url in ("/connexion", "/", "/lecons/demo-premiers-pas", "/page-inconnue"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers


def test_hsts_and_proxy_scheme_behind_an_https_proxy(make_app):
    app = make_app(PROXY_HOPS=1)
    response = app.test_client().get("/connexion", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_has_inline_script_or_style(client, auth):
    auth.login()
    for url in ("/connexion", "/", "/modules/demo", "/lecons/demo-premiers-pas", "/parcours"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        assert " onclick=" not in html and "javascript:" not in html


def test_database_gone_gives_a_french_503_and_the_platform_recovers(app, client, auth, monkeypatch):
    auth.login()
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    real_connect = engine.pool._creator

    def refuse():
        raise engine.dialect.loaded_dbapi.OperationalError("database unavailable")

    engine.dispose()
    monkeypatch.setattr(engine.pool, "_creator", refuse)
    for url in ("/", "/lecons/demo-premiers-pas", "/healthz"):
        response = client.get(url)
        assert response.status_code == 503, url
        if url != "/healthz":
            assert "Service momentanément indisponible" in response.get_data(as_text=True)
    monkeypatch.setattr(engine.pool, "_creator", real_connect)
    assert client.get("/").status_code == 200


def test_request_log_has_one_json_line_without_secrets(client, caplog):
    with caplog.at_level(logging.INFO, logger="pasapas.request"):
        page = client.get("/connexion?next=/parcours").get_data(as_text=True)
        client.post("/connexion", data={"csrf_token": csrf_token(page), "username": "amina", "password": "amina-demo"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "pasapas.request"]
    assert [(line["method"], line["route"], line["status"]) for line in lines] == [
        ("GET", "/connexion", 200),
        ("POST", "/connexion", 302),
    ]
    assert "amina-demo" not in caplog.text and "parcours" not in caplog.text


@pytest.mark.parametrize("size", [2 * 1024 * 1024])
def test_request_bodies_have_a_size_limit(client, size):
    response = client.post("/connexion", data={"username": "x" * size})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.get_data(as_text=True)
