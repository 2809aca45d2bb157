"""axe-core (WCAG 2.0 and 2.1, levels A and AA) finds no violation on any participant page."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import sign_in
from .helpers import FIRST, choose, wrong_answers

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
axe = Axe()


def violations(page) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]


def check(page, name, report) -> None:
    page.wait_for_load_state("networkidle")
    report[name] = violations(page)


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_participant_pages_have_no_axe_violation(open_context, learner, viewport):
    _, page = open_context(viewport)
    report = {}
    page.goto("/connexion")
    check(page, "login", report)
    sign_in(page, learner)
    check(page, "home", report)
    page.goto("/?q=premiers")
    check(page, "home with search results", report)
    page.goto("/?q=introuvable")
    check(page, "home with no search result", report)
    page.goto("/modules/demo")
    check(page, "module", report)
    page.goto(f"/lecons/{FIRST.id}")
    check(page, "lesson", report)
    choose(page, {"q1": wrong_answers()["q1"]})
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("Il manque les questions").wait_for()
    check(page, "quiz with missing answers", report)
    choose(page, wrong_answers())
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("Réponse fausse").first.wait_for()
    check(page, "result", report)
    page.goto(f"/lecons/{FIRST.id}/aide")
    check(page, "help", report)
    page.get_by_label("Votre numéro de téléphone (facultatif)").fill("pas un numéro")
    page.get_by_role("button", name="Demander de l'aide").click()
    page.get_by_text("Écrivez un numéro de téléphone").wait_for()
    check(page, "help with a mistake", report)
    page.get_by_label("Votre numéro de téléphone (facultatif)").fill("06 12 34 56 78")
    page.get_by_role("button", name="Demander de l'aide").click()
    page.get_by_text("Vous avez demandé de l'aide le").first.wait_for()
    check(page, "lesson after asking for help", report)
    page.goto("/parcours")
    check(page, "parcours", report)
    page.goto("/lecons/demo-bonus")
    page.get_by_role("link", name="cadenas").click()
    check(page, "glossary word opened in place", report)
    page.goto("/glossaire#cadenas")
    check(page, "glossaire", report)
    page.goto("/accessibilite")
    check(page, "accessibilité", report)
    page.goto("/mes-donnees")
    check(page, "mes données", report)
    page.goto("/mes-donnees/suppression")
    check(page, "demander la suppression", report)
    page.goto("/confidentialite")
    check(page, "confidentialité", report)
    page.goto("/hors-ligne")
    check(page, "hors ligne", report)
    page.goto("/page-inconnue")
    check(page, "404", report)
    assert {name: found for name, found in report.items() if found} == {}


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_facilitator_pages_have_no_axe_violation(open_context, viewport):
    _, page = open_context(viewport)
    sign_in(page, {"username": "animatrice", "password": "animatrice-demo"})
    page.goto("/animation/")
    # Every facilitator page linked from the workspace's home, as it grows.
    links = page.eval_on_selector_all(
        "main a[href^='/animation/']", "links => [...new Set(links.map(link => link.getAttribute('href')))]"
    )
    report = {}
    for url in ["/animation/", *links[:15]]:
        page.goto(url)
        check(page, url, report)
    assert {name: found for name, found in report.items() if found} == {}


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_admin_pages_have_no_axe_violation(open_context, viewport):
    _, page = open_context(viewport)
    sign_in(page, {"username": "admin", "password": "admin-demo"})
    report = {}
    for url in ("/animation/admin", "/animation/confidentialite", "/animation/rapport"):
        page.goto(url)
        check(page, url, report)
    assert {name: found for name, found in report.items() if found} == {}
