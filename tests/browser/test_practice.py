"""Practice questions in a real browser at a phone's size: tap the picture with and without
JavaScript, answer with the keyboard only, and axe finds no violation on the quiz and its result."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.content.answers import AnswerFields
from app.extensions import db
from app.models import QuizAttempt

from .conftest import attempts_of, sign_in
from .helpers import LIBRARY
from .test_accessibility import violations
from .test_keyboard import tab_to

LESSON = LIBRARY.lesson("demo-pratique")
TAP, TAP_MENU, ORDER, TYPED = LESSON.quiz.questions
URL = f"/lecons/{LESSON.id}"


def answers_of(app, user_id: int) -> dict:
    with app.app_context():
        attempt = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.user_id == user_id).order_by(QuizAttempt.id.desc())
        ).first()
        db.session.remove()
        return {"answers": attempt.answers, "score": attempt.score, "hints": attempt.hints}


def answer_all_but_the_first_tap(page) -> None:
    """The menu chosen from the list, the steps in order, the address typed."""
    page.locator(f'input[name="{TAP_MENU.key}"][value="{next(c.key for c in TAP_MENU.choices if c.correct)}"]').check()
    for place, step in enumerate(ORDER.choices, start=1):
        page.locator(f'select[name="{AnswerFields.place(ORDER, step)}"]').select_option(str(place))
    page.locator(f'input[name="{AnswerFields.text(TYPED)}"]').fill("service-public.fr")


def tap_picture(page, x: int, y: int) -> None:
    picture = page.locator(f'input[type="image"][name="{TAP.key}"]')
    box = picture.bounding_box()
    # Shown at its own size on a 360 px phone: a CSS pixel of the page is a pixel of the picture.
    assert (box["width"], box["height"]) == (TAP.picture.width, TAP.picture.height)
    picture.tap(position={"x": x, "y": y})


def test_a_tap_without_javascript_sends_the_point_in_the_pictures_pixels(open_context, live_app, learner):
    _, page = open_context("phone", javascript=False)
    sign_in(page, learner)
    page.goto(URL)
    answer_all_but_the_first_tap(page)
    tap_picture(page, 120, 160)  # inside « Envoyer » (20, 140, 200 × 48): the tap sends the form
    expect(page.get_by_role("heading", name="Résultat du quiz")).to_be_visible()
    recorded = answers_of(live_app, learner["id"])
    assert recorded["answers"][TAP.key] == ["120,160"] and recorded["score"] == 4


def test_a_tap_far_from_the_zone_is_graded_wrong_without_javascript(open_context, live_app, learner):
    _, page = open_context("phone", javascript=False)
    sign_in(page, learner)
    page.goto(URL)
    answer_all_but_the_first_tap(page)
    tap_picture(page, 120, 225)  # on « Mes paiements »
    expect(page.get_by_role("heading", name="Résultat du quiz")).to_be_visible()
    recorded = answers_of(live_app, learner["id"])
    assert recorded["answers"][TAP.key] == ["120,225"] and recorded["score"] == 3
    assert "Mes paiements" in page.locator(".correction").first.inner_text()


def test_with_javascript_a_marker_shows_the_tap_before_sending_and_hints_open_in_place(open_context, live_app, learner):
    _, page = open_context("phone")
    sign_in(page, learner)
    page.goto(URL)
    tap_picture(page, 60, 150)
    marker = page.locator(f"#{TAP.key} [data-tap-marker]")
    expect(marker).to_be_visible()
    assert (marker.get_attribute("cx"), marker.get_attribute("cy")) == ("60", "150")
    assert page.url.endswith(URL) and attempts_of(live_app, learner["id"]) == 0  # nothing sent yet
    hint = page.locator(f"#{TAP.key}").get_by_role("button", name="Voir un indice")
    hint.click()
    expect(page.locator(f"#{TAP.key} .hint-list")).to_contain_text("Indice 1 : le bouton est en couleur.")
    assert page.url.endswith(URL)
    answer_all_but_the_first_tap(page)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Résultat du quiz")).to_be_visible()
    recorded = answers_of(live_app, learner["id"])
    assert recorded["answers"][TAP.key] == ["60,150"] and recorded["score"] == 4
    assert recorded["hints"] == {TAP.key: 1}


def test_practice_questions_answered_with_the_keyboard_only(open_context, live_app, learner):
    _, page = open_context("laptop")
    sign_in(page, learner)
    page.goto(URL)
    right_zone = next(c for c in TAP.choices if c.correct)
    # The picture is out of the tab order: Tab reaches the zones' list, Space chooses.
    tab_to(page, lambda focus: focus["name"] == TAP.key)
    while page.evaluate("document.activeElement.value") != right_zone.key:
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    tab_to(page, lambda focus: focus["name"] == TAP_MENU.key)
    while page.evaluate("document.activeElement.value") != next(c.key for c in TAP_MENU.choices if c.correct):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    for place, step in enumerate(ORDER.choices, start=1):
        name = AnswerFields.place(ORDER, step)
        page.locator(f'select[name="{name}"]').focus()
        for _ in range(place):
            page.keyboard.press("ArrowDown")
        assert page.locator(f'select[name="{name}"]').input_value() == str(place)
    tab_to(page, lambda focus: focus["name"] == AnswerFields.text(TYPED))
    page.keyboard.type("www.service-public.fr")
    tab_to(page, lambda focus: focus["text"] == "Envoyer mes réponses")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Résultat du quiz")).to_be_visible()
    recorded = answers_of(live_app, learner["id"])
    assert recorded["score"] == 4 and recorded["answers"][TAP.key] == [right_zone.key]


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_practice_quiz_and_its_result_have_no_axe_violation(open_context, learner, viewport):
    _, page = open_context(viewport)
    sign_in(page, learner)
    page.goto(URL)
    page.wait_for_load_state("networkidle")
    report = {"lesson": violations(page)}
    page.locator(f"#{TAP.key}").get_by_role("button", name="Voir un indice").click()
    page.locator(f'#{TAP.key} input[value="je-ne-sais-pas"]').check()
    page.locator(f'#{ORDER.key} input[value="je-ne-sais-pas"]').check()
    answer_all_but_the_first_tap(page)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Résultat du quiz")).to_be_visible()
    page.wait_for_load_state("networkidle")
    report["result"] = violations(page)
    assert report == {"lesson": [], "result": []}
