"""The facilitator's exercise screens in a real browser: axe at 360 and 1,280 px, nothing wider
than the phone's screen (the grids scroll inside their frame), and they work without JavaScript."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.lesson_library import get_library
from app.models import utcnow
from tests.facilitate_helpers import SHOW, exercise, make_learner

from .conftest import VIEWPORTS, sign_in
from .test_accessibility import violations

FACILITATOR = {"username": "animatrice", "password": "animatrice-demo"}
SCENARIO = "exercice-demo-payer"
GROUP = 1  # Groupe démo, animatrice's


@pytest.fixture(scope="module")
def practised(live_app):
    """A learner of Groupe démo who went through a trap, a wrong field and « Montrez-moi »."""
    with live_app.app_context():
        learner = make_learner("exercices-navigateur", GROUP, "Salimata")
        exercise(
            learner,
            get_library().scenario(SCENARIO),
            ["Aide", "colis-faux", "Revenir", "Ma Banque", "Payer la facture", ("Payer", {}), SHOW],
            utcnow() - timedelta(hours=1),
        )
        db.session.remove()
    return learner


def pages(learner: int) -> dict[str, str]:
    return {
        "groupe": f"/animation/groupes/{GROUP}",
        "exercice": f"/animation/groupes/{GROUP}/exercices/{SCENARIO}",
        "parcours": f"/animation/participants/{learner}/exercices/{SCENARIO}",
        "fiche": f"/animation/participants/{learner}",
    }


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_the_exercise_screens_have_no_axe_violation_and_fit_the_screen(browser, live_server, practised, viewport):
    context = browser.new_context(**VIEWPORTS[viewport], base_url=live_server, locale="fr-FR")
    page = context.new_page()
    sign_in(page, FACILITATOR)
    report, too_wide = {}, {}
    for name, url in pages(practised).items():
        page.goto(url)
        report[name] = violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.evaluate("window.innerWidth"):
            too_wide[name] = width
    context.close()
    assert {name: found for name, found in report.items() if found} == {}
    assert too_wide == {}


def test_from_the_group_to_a_learners_path_without_javascript(browser, live_server, practised):
    context = browser.new_context(
        **VIEWPORTS["laptop"], base_url=live_server, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, FACILITATOR)
    page.goto(f"/animation/groupes/{GROUP}")
    page.locator("#exercices").locator("..").get_by_role("link", name="Payer une facture").click()
    page.get_by_role("heading", name="L'étape la plus difficile").wait_for()
    assert "L'écran « Payer la facture »" in page.locator(".hardest-step").inner_text()
    page.get_by_role("link", name="Salimata").click()
    page.get_by_role("heading", name="Salimata : « Payer une facture »").wait_for()
    rows = page.locator("table.path tbody tr")
    assert rows.count() == 7
    assert "qui mène à un piège" in rows.nth(1).inner_text()
    assert "Ma Banque" in page.locator("table.path").inner_text()
    context.close()
