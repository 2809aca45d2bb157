"""Real-browser tests: Debian's chromium driven by Playwright against the app served from this session.

Without /usr/bin/chromium these tests are skipped with a reason, except in CI (CI=true) where a
missing browser is a failure: CI must prove the pages in a real browser. CHROMIUM_PATH points
elsewhere on a machine whose chromium lives in another place.
"""

from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import create_app
from app.cli import create_demo_accounts
from app.extensions import db
from app.models import QuizAttempt, Role, User
from config import TestingConfig

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
_usernames = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    in_ci = os.environ.get("CI") == "true"
    for item in items:
        if here not in Path(item.fspath).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists() and not in_ci:
            item.add_marker(pytest.mark.skip(reason=f"browser tests need {CHROMIUM} (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true and {CHROMIUM} is missing: install Debian's chromium before the tests")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite'}"
    config.RATELIMIT_ENABLED = False  # every test signs in; the limit has its own tests
    app = create_app(config)
    with app.app_context():
        db.create_all()
        create_demo_accounts()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def learner(live_app):
    """A new participant for each test, so each journey starts with no progress."""
    username = f"amina{next(_usernames)}"
    with live_app.app_context():
        user = User(username=username, first_name="Amina", role=Role.PARTICIPANT)
        user.set_password("amina-demo")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    return {"id": user_id, "username": username, "password": "amina-demo"}


def attempts_of(app, user_id: int) -> int:
    with app.app_context():
        query = select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == user_id)
        count = db.session.scalar(query)
        db.session.remove()
        return count


class PageProblems:
    """Console errors (CSP violations included), uncaught exceptions and missing files: a page has none.

    Error statuses of pages themselves are expected (a 404 page, a 422 form), so only the files a
    page needs are checked, by their response rather than by the console's "Failed to load" line.
    """

    FILE_TYPES = {"stylesheet", "script", "image", "font", "manifest"}

    def __init__(self):
        self.messages = []

    def _console(self, message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.messages.append(message.text)

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type in self.FILE_TYPES:
            self.messages.append(f"{response.status} {response.url}")

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(str(error)))
        page.on("response", self._response)
        return page


@pytest.fixture
def open_context(browser, live_server):
    """open_context(viewport="phone", javascript=True) -> (context, page), checked for console errors.
    base_url= opens it on another live server (one serving another lessons folder)."""
    contexts, problems = [], PageProblems()

    def open_(viewport="phone", javascript=True, base_url=None, **extra):
        context = browser.new_context(
            **VIEWPORTS[viewport],
            base_url=base_url or live_server,
            locale="fr-FR",
            java_script_enabled=javascript,
            **extra,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context, problems.watch(context.new_page())

    yield open_
    for context in contexts:
        context.close()
    assert problems.messages == []


def sign_in(page, account) -> None:
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill(account["username"])
    page.get_by_label("Mot de passe").fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
