"""Every practice scenario shipped in lessons/ (and the fixture's), run to its end in a real browser
with and without JavaScript, through one wrong action and one « Montrez-moi »; axe finds no
violation on any of its screens at 360 and 1,280 px; a screen weighs at most 30 KB on a first visit.

The path is read from the scenario itself (each screen's demonstration), so a new scenario file is
covered as soon as it is added."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.content import load_library
from app.content.scenarios import InputKind, Scenario
from app.extensions import db
from app.lesson_library import get_library
from app.models import Role, ScenarioRun, User
from config import TestingConfig
from tests.scenario_helpers import right_path, wrong_action

from .conftest import sign_in
from .helpers import LAYOUT_PROBLEMS, TAP_TARGETS
from .test_accessibility import violations
from .test_weight import Transfers

ROOT = Path(__file__).parents[2]
LIBRARIES = {"fixture": ROOT / "tests" / "fixtures" / "lessons", "lessons": ROOT / "lessons"}
SCREEN_BUDGET = 30 * 1024
EXERCISE_TARGETS = f"{TAP_TARGETS}, .ex-button, .ex-link, .ex-message"


def _scenarios() -> list[tuple[str, str]]:
    found = []
    for name, root in LIBRARIES.items():
        library = load_library(root)
        found += [(name, scenario_id) for scenario_id in sorted(library.scenarios)]
    return found


SCENARIOS = _scenarios()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One live app per library, each on its own database, made when first asked for."""
    running = {}

    def server_for(name: str):
        if name not in running:
            config = TestingConfig()
            config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp(name) / 'scenarios.sqlite'}"
            config.RATELIMIT_ENABLED = False
            config.LESSONS_DIR = LIBRARIES[name]
            app = create_app(config)
            with app.app_context():
                db.create_all()
            server = make_server("127.0.0.1", 0, app, threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            running[name] = (app, server, f"http://127.0.0.1:{server.server_port}")
        return running[name]

    yield server_for
    for app, server, _ in running.values():
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def new_learner(app) -> dict:
    with app.app_context():
        count = db.session.query(User).count()
        user = User(username=f"awa{count}", first_name="Awa", role=Role.PARTICIPANT)
        user.set_password("awa-demo")
        db.session.add(user)
        db.session.commit()
        return {"id": user.id, "username": user.username, "password": "awa-demo"}


def action_button(page, label: str):
    return page.locator(f'button[name="action"][value={json.dumps(label, ensure_ascii=False)}]')


def fill(page, scenario: Scenario, screen_id: str, values: dict[str, str]) -> None:
    for field in scenario.screens[screen_id].inputs:
        value = values[field.name]
        if field.kind is InputKind.CHOICE:
            page.locator(f"#f-{field.name}-{value}").check()
        elif field.kind is InputKind.CHECKBOX:
            page.locator(f"#f-{field.name}").set_checked(value == "on")
        else:
            page.locator(f"#f-{field.name}").fill(value)


def wrong_try(page, scenario: Scenario, screen_id: str, action: str) -> bool:
    """One wrong action on this screen, if it offers one: the hint in words, typed values kept."""
    screen = scenario.screens[screen_id]
    other = wrong_action(scenario, screen_id)
    typed = next((i for i in screen.inputs if i.kind is InputKind.TEXT), None)
    if other is None and typed is None:
        return False
    if other is not None:
        action_button(page, other).click()
        expect(page.locator(".exercise-hint")).to_contain_text(screen.hint)
    else:
        page.locator(f"#f-{typed.name}").fill("zzz")
        action_button(page, action).click()
        expect(page.locator(f"#e-{typed.name}")).to_be_visible()
        expect(page.locator(f"#f-{typed.name}")).to_have_value("zzz")
    return True


@pytest.mark.parametrize(("viewport", "javascript"), [("phone", True), ("laptop", True), ("phone", False)])
@pytest.mark.parametrize(("library", "scenario_id"), SCENARIOS)
def test_each_scenario_runs_to_its_end(servers, open_context, library, scenario_id, viewport, javascript):
    app, _, base_url = servers(library)
    with app.app_context():
        scenario = get_library().scenario(scenario_id)
    learner = new_learner(app)
    _, page = open_context(viewport, javascript, base_url=base_url)
    sign_in(page, learner)
    report: dict[str, list[str]] = {}

    def screen_checked(name: str) -> None:
        page.wait_for_load_state("networkidle" if javascript else "load")
        expect(page.get_by_text("Exercice — ce n'est pas un vrai site")).to_be_visible()
        if javascript:
            report[name] = violations(page)
        if viewport == "phone" and javascript:
            report[f"{name}, layout"] = page.evaluate(LAYOUT_PROBLEMS, EXERCISE_TARGETS)

    if javascript:  # the module's page lists its exercises, the lesson's page ends with its own
        page.goto(f"/modules/{scenario.module_id}")
        page.wait_for_load_state("networkidle")
        report["module"] = violations(page)
    page.goto(f"/lecons/{scenario.lesson_id}")
    if javascript:
        page.wait_for_load_state("networkidle")
        report["lesson"] = violations(page)
    page.locator(f'a[href="/exercices/{scenario.id}"]').click()
    screen_checked("intro")
    page.get_by_role("button", name="Commencer l'exercice").click()
    wrong_done = shown_done = False
    for screen_id, action, values in right_path(scenario):
        expect(page.locator("h1")).to_have_text(scenario.screens[screen_id].title)
        screen_checked(screen_id)
        if not wrong_done and wrong_try(page, scenario, screen_id, action):
            wrong_done = True
            screen_checked(f"{screen_id}, with its hint")
        if not shown_done:
            page.get_by_role("button", name="Montrez-moi").click()
            expect(page.locator(".ex-shown").first).to_be_visible()
            expect(action_button(page, action)).to_have_class(re.compile(r"\bex-shown\b"))
            shown_done = True
            screen_checked(f"{screen_id}, shown")
        fill(page, scenario, screen_id, values)
        action_button(page, action).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exercice terminé")
    screen_checked("result")
    assert wrong_done, "no screen on the way offers a wrong action or a field to get wrong"
    assert all(found == [] for found in report.values()), {k: v for k, v in report.items() if v}
    with app.app_context():
        run = db.session.scalar(select(ScenarioRun).filter_by(user_id=learner["id"]))
        assert run.finished and run.shown_count == 1 and run.wrong_count == 1 and not run.alone


@pytest.mark.parametrize(("library", "scenario_id"), SCENARIOS[:1])
def test_a_screen_weighs_at_most_30_kb_on_a_first_visit(servers, open_context, library, scenario_id):
    app, _, base_url = servers(library)
    learner = new_learner(app)
    signing, page = open_context("phone", base_url=base_url)
    sign_in(page, learner)
    page.goto(f"/exercices/{scenario_id}")
    page.get_by_role("button", name="Commencer l'exercice").click()
    page.wait_for_load_state()
    screen_url = page.url
    # A phone that never saw the site: an empty cache, no service worker, only the session.
    context, fresh = open_context("phone", base_url=base_url)
    context.add_cookies(signing.cookies())
    transfers = Transfers(context)
    fresh.goto(screen_url)
    fresh.wait_for_load_state("networkidle")
    first_visit, rows = transfers.take()
    assert any(url.endswith(".css") for url, _ in rows)
    assert first_visit <= SCREEN_BUDGET, rows
    print(f"\nfirst visit of an exercise screen: {first_visit / 1024:.1f} KB")


@pytest.mark.parametrize(("library", "scenario_id"), SCENARIOS[:1])
def test_without_a_connection_a_step_says_in_words_that_exercises_need_one(servers, open_context, library, scenario_id):
    app, _, base_url = servers(library)
    learner = new_learner(app)
    context, page = open_context("phone", base_url=base_url)
    sign_in(page, learner)
    page.goto(f"/exercices/{scenario_id}")
    page.get_by_role("button", name="Commencer l'exercice").click()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    expect(page.get_by_text("Un exercice a besoin d'une connexion")).to_be_visible()
    page.get_by_role("button", name="Montrez-moi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de connexion")
    expect(page.get_by_text("Les exercices pratiques ont besoin d'une connexion")).to_be_visible()
    context.set_offline(False)
    with app.app_context():
        run = db.session.scalar(select(ScenarioRun).filter_by(user_id=learner["id"]))
        assert run.step_count == 1 and run.shown_count == 0  # nothing was sent, nothing lost
