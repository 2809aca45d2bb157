"""Shared fixtures: an app on a real database file, a client, and a signed-in learner."""

from __future__ import annotations

import os
import re

import pytest

from app import create_app
from app.cli import create_demo_accounts
from app.extensions import db
from config import TestingConfig

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _database_url(tmp_path) -> str:
    # TEST_DATABASE_URL runs the whole suite on another server, such as PostgreSQL.
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def make_app(tmp_path):
    """Build an app with settings changed for one test."""
    apps = []

    def build(**settings):
        config = TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = _database_url(tmp_path)
        for key, value in settings.items():
            setattr(config, key, value)
        app = create_app(config)
        with app.app_context():
            db.drop_all()
            db.create_all()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        create_demo_accounts()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username="amina", password="amina-demo", remember=False, follow=False):
        page = self.client.get("/connexion").get_data(as_text=True)
        data = {"csrf_token": csrf_token(page), "username": username, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/connexion", data=data, follow_redirects=follow)

    def logout(self):
        page = self.client.get("/").get_data(as_text=True)
        return self.client.post("/deconnexion", data={"csrf_token": csrf_token(page)})


@pytest.fixture
def auth(client):
    return AuthActions(client)
