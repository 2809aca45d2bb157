"""The journey with the keyboard only: Tab (and Shift+Tab), Space and Enter; focus always visible."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import attempts_of
from .helpers import FIRST, right_answers, wrong_answers

FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    text: (element.innerText || element.value || "").trim(),
    name: element.name || "",
    value: element.value || "",
    visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def tab_to(page, wanted, backwards=False, limit=60) -> dict:
    """Press Tab until the focused element satisfies wanted(focus); its focus must be visible."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = page.evaluate(FOCUS)
        if wanted(focus):
            assert focus["visible"], f"focus not visible on {focus}"
            return focus
    raise AssertionError("not reached with the keyboard")


def text_is(text):
    return lambda focus: focus["text"] == text


def test_journey_with_the_keyboard_only(open_context, live_app, learner):
    questions = FIRST.quiz.questions
    assert not questions[0].choices[0].correct and questions[0].choices[-1].correct  # what Tab reaches
    _, page = open_context("phone")
    page.goto("/connexion")
    tab_to(page, lambda focus: focus["name"] == "username")
    page.keyboard.type(learner["username"])
    tab_to(page, lambda focus: focus["name"] == "password")
    page.keyboard.type(learner["password"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Amina !")

    tab_to(page, text_is("Continuer"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST.title)

    # Wrong answers: Tab lands on the first choice of each radio group (a wrong one here) and
    # on each checkbox; Space ticks it.
    tab_to(page, lambda focus: focus["name"] == "q1")
    page.keyboard.press("Space")
    wrong_q2 = wrong_answers()["q2"][0]
    tab_to(page, lambda focus: focus["name"] == "q2" and focus["value"] == wrong_q2)
    page.keyboard.press("Space")
    tab_to(page, lambda focus: focus["name"] == "q3")
    page.keyboard.press("Space")
    tab_to(page, text_is("Envoyer mes réponses"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("0 bonne réponse sur 3", exact=True)).to_be_visible()

    tab_to(page, text_is("Réessayer"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Envoyer mes réponses")).to_be_visible()
    # Right answers, walking backwards from the end of the page: Shift+Tab enters a radio group
    # never visited on its last choice, « Je ne sais pas »; the arrow up checks the choice before
    # it (the right one for questions 1 and 3).
    tab_to(page, text_is("Envoyer mes réponses"), backwards=True)
    tab_to(page, lambda focus: focus["name"] == "q3", backwards=True)
    assert page.evaluate("document.activeElement.value") == "je-ne-sais-pas"
    page.keyboard.press("ArrowUp")
    for value in reversed(right_answers()["q2"]):
        tab_to(page, lambda focus, value=value: focus["name"] == "q2" and focus["value"] == value, backwards=True)
        page.keyboard.press("Space")
    tab_to(page, lambda focus: focus["name"] == "q1", backwards=True)
    page.keyboard.press("ArrowUp")
    tab_to(page, text_is("Envoyer mes réponses"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("3 bonnes réponses sur 3", exact=True)).to_be_visible()

    tab_to(page, text_is("Mon parcours"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 leçon sur 3 terminée").first).to_be_visible()
    assert attempts_of(live_app, learner["id"]) == 2
