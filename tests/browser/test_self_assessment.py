"""« Je sais … » at 360 px: big choices with their pictograms, read aloud a statement at a time,
a missing answer named, axe clean; and the same form without JavaScript."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import sign_in
from .helpers import layout_problems
from .test_accessibility import violations
from .test_read_aloud import FAKE_SPEECH

URL = "/modules/demo/je-sais-faire/debut"


def test_the_start_page_at_360_px_is_read_aloud_and_has_no_axe_violation(open_context, learner):
    context, page = open_context("phone")
    context.add_init_script(FAKE_SPEECH)
    sign_in(page, learner)
    page.goto("/modules/demo")
    assert layout_problems(page) == [] and violations(page) == []  # the page with its offer
    page.get_by_role("link", name="Répondre").click()
    page.wait_for_url(f"**{URL}")
    assert page.viewport_size["width"] == 360
    assert layout_problems(page) == []
    assert violations(page) == []

    first = page.locator("#je-sais-0")
    first.get_by_role("button", name="Écouter").click()
    said = []  # the statement, then each choice, a block at a time
    for _ in range(4):
        said.append(page.evaluate("window.spoken[0].text").strip())
        page.evaluate("window.spoken.shift().onend()")
    assert said == ["Je sais ouvrir une leçon.", "Oui", "Un peu", "Pas encore"]

    # Each choice is a big button with its label always visible; tapping the label chooses it.
    box = first.locator("label.know-how-choice").first.bounding_box()
    assert box["width"] >= 88 and box["height"] >= 88
    first.get_by_text("Oui", exact=True).click()
    expect(first.get_by_role("radio", name="Oui")).to_be_checked()
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(page.get_by_text("Il manque votre réponse à la phrase « Je sais répondre à un quiz. ».")).to_be_visible()
    expect(page.locator("#je-sais-0").get_by_role("radio", name="Oui")).to_be_checked()
    assert violations(page) == []

    page.locator("#je-sais-1").get_by_text("Un peu", exact=True).click()
    page.locator("#je-sais-2").get_by_text("Pas encore", exact=True).click()
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(page.get_by_text("Merci ! Vos réponses sont enregistrées.")).to_be_visible()
    assert violations(page) == []


def test_the_form_works_without_javascript(open_context, learner):
    _, page = open_context("phone", javascript=False)
    sign_in(page, learner)
    page.goto(URL)
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)
    assert layout_problems(page) == []  # the choices below each statement, no sideways scroll
    for index, label in enumerate(("Oui", "Un peu", "Pas encore")):
        page.locator(f"#je-sais-{index}").get_by_text(label, exact=True).click()
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(page.get_by_text("Merci ! Vos réponses sont enregistrées.")).to_be_visible()
    page.get_by_role("link", name="Changer mes réponses").click()
    expect(page.locator("#je-sais-1").get_by_role("radio", name="Un peu")).to_be_checked()
