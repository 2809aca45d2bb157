"""The participant journey in a real browser, on a phone and on a laptop, with and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import attempts_of, sign_in
from .helpers import FIRST, choose, layout_problems, right_answers, wrong_answers


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_journey(open_context, live_app, learner, viewport, javascript):
    _, page = open_context(viewport, javascript=javascript)
    checked = []

    def check_layout():
        checked.append(page.url)
        assert layout_problems(page) == [], page.url

    sign_in(page, learner)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Amina !")
    expect(page.get_by_text("0 leçon sur 3 terminée").first).to_be_visible()
    check_layout()

    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST.title)
    expect(page.get_by_text("Commencée")).to_be_visible()
    # Read aloud and text size come with JavaScript only: no dead buttons without it.
    expect(page.get_by_role("button", name="Écouter")).to_have_count(4 if javascript else 0)
    expect(page.get_by_role("group", name="Taille du texte")).to_have_count(1 if javascript else 0)
    check_layout()

    choose(page, wrong_answers())
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("0 bonne réponse sur 3", exact=True)).to_be_visible()
    expect(page.get_by_text("Réponse fausse")).to_have_count(3)
    check_layout()

    page.get_by_role("link", name="Réessayer").click()
    choose(page, right_answers())
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("3 bonnes réponses sur 3", exact=True)).to_be_visible()
    expect(page.get_by_text("Bravo ! La leçon est terminée.")).to_be_visible()
    expect(page.get_by_role("link", name="Leçon suivante")).to_be_visible()

    page.get_by_role("link", name="Mon parcours").click()
    expect(page.get_by_text("1 leçon sur 3 terminée").first).to_be_visible()
    done = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=FIRST.title, exact=True))
    expect(done).to_contain_text("Terminée")
    expect(done).to_contain_text("Meilleur score : 3/3")
    check_layout()
    assert attempts_of(live_app, learner["id"]) == 2
    assert len(checked) == 4


def test_text_size_is_remembered(open_context, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    body_size = "parseFloat(getComputedStyle(document.body).fontSize)"
    assert page.evaluate(body_size) == 18
    smaller = page.get_by_role("button", name="A− plus petit")
    expect(smaller).to_be_disabled()  # never below 18 px
    page.get_by_role("button", name="A+ plus grand").click()
    page.get_by_role("button", name="A+ plus grand").click()
    assert page.evaluate(body_size) == 22.5
    page.goto(f"/lecons/{FIRST.id}")
    assert page.evaluate(body_size) == 22.5
    assert layout_problems(page) == []
