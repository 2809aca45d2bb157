"""The autonomy ladder in a real browser: « Mon parcours » at 360 px with and without JavaScript,
the facilitator's four big buttons and the group form, and axe on each."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AutonomyClaim, User

from .conftest import sign_in
from .helpers import layout_problems
from .test_accessibility import violations

FACILITATOR = {"username": "animatrice", "password": "animatrice-demo"}


def test_mon_parcours_shows_the_ladder_and_takes_a_claim_without_javascript(open_context, learner, live_app):
    _, page = open_context("phone", javascript=False)
    sign_in(page, learner)
    page.goto("/parcours")
    ladder = page.locator("#demarche-demo-envoyer-message")
    assert ladder.locator(".rung").count() == 4
    assert ladder.locator(".rung").first.inner_text().startswith("Fait pour moi")
    assert layout_problems(page) == []
    ladder.get_by_role("button", name="Je l'ai fait pour de vrai !").click()
    page.get_by_text("C'est noté : vous l'avez fait pour de vrai !").wait_for()
    assert (
        page.locator("#demarche-demo-envoyer-message")
        .get_by_text("En attente : votre animatrice va confirmer.")
        .is_visible()
    )
    with live_app.app_context():
        claim = db.session.scalar(select(AutonomyClaim).filter_by(user_id=learner["id"]))
        assert claim is not None and claim.waiting
        db.session.remove()


def test_mon_parcours_has_no_axe_violation_and_reads_aloud(open_context, learner):
    _, page = open_context("phone")
    sign_in(page, learner)
    page.goto("/parcours")
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    # The read-aloud controls come to each procedure's ladder, as to a lesson.
    assert page.locator("#demarche-demo-envoyer-message [data-read-aloud-slot] *").count() > 0


def test_the_facilitator_sets_a_rung_in_two_taps_on_a_phone_and_a_group_at_once(open_context, live_app):
    with live_app.app_context():
        amina = db.session.scalar(select(User).filter_by(username="amina"))
        amina_id, group_id = amina.id, amina.group_id
        db.session.remove()
    for viewport, rung in (("phone", "fait pour moi"), ("laptop", "fait avec moi")):
        _, page = open_context(viewport)
        sign_in(page, FACILITATOR)
        page.goto(f"/animation/participants/{amina_id}")
        page.locator("details.ladder-module summary").first.click()  # tap 1: the module
        procedure = page.locator("#demarche-demo-envoyer-message")
        procedure.get_by_role("button", name=rung.capitalize()).click()  # tap 2: the rung
        page.get_by_text(f"C'est noté : « {rung} »").wait_for()
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], viewport
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), viewport
        page.goto(f"/animation/groupes/{group_id}")
        page.wait_for_load_state("networkidle")
        assert page.locator("#demarches-groupe").is_visible()
        assert violations(page) == [], viewport
        page.goto(f"/animation/groupes/{group_id}/demarches")
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], viewport
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), viewport
