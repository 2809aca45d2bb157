"""A sign-in card in a real browser: without JavaScript, one tap opens the account, and on a
phone where someone else is signed in the page asks first. axe finds nothing on either page."""

from __future__ import annotations

from app.extensions import db
from app.facilitate import accounts
from app.models import User

from .conftest import sign_in
from .test_accessibility import violations


def card_for(live_app, username: str) -> str:
    with live_app.app_context():
        person = db.session.scalar(db.select(User).filter_by(username=username))
        return accounts.print_cards([person], new_passwords=False, actor=person)[0].token


def test_a_card_opens_the_account_and_asks_before_switching_without_javascript(open_context, live_app, learner):
    _, page = open_context("phone", javascript=False)
    page.goto(f"/connexion/carte/{card_for(live_app, learner['username'])}")
    # The phone is not enrolled yet: it asks whose it is (the picture codes); « Non » just opens the account.
    page.get_by_role("button", name="Non, ouvrir seulement").click()
    page.wait_for_url("**/")
    assert page.locator('meta[name="pasapas-person"]').count() == 1
    page.goto(f"/connexion/carte/{card_for(live_app, 'josiane')}")
    page.get_by_text("Le compte d'Amina est ouvert sur ce téléphone. Continuer avec le compte de Josiane ?").wait_for()
    page.get_by_role("button", name="Non, ouvrir seulement").click()
    page.wait_for_url("**/")
    page.get_by_text("Josiane").first.wait_for()


def test_the_card_pages_have_no_axe_violation(open_context, live_app, learner):
    _, page = open_context("phone")
    page.goto(f"/connexion/carte/{card_for(live_app, 'josiane')}")
    page.wait_for_load_state("networkidle")
    report = {"card": violations(page)}
    sign_in(page, learner)
    page.goto(f"/connexion/carte/{card_for(live_app, 'josiane')}")
    page.wait_for_load_state("networkidle")
    report["card, someone signed in"] = violations(page)
    assert {name: found for name, found in report.items() if found} == {}
