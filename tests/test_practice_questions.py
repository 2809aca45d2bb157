"""Practice questions through the test client: tap, order, typed answer, « Je ne sais pas », hints."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from app.content import load_library
from app.content.answers import AnswerFields
from app.content.model import DONT_KNOW
from app.extensions import db
from app.lesson_library import get_library
from app.models import QuizAttempt, utcnow
from tests.facilitate_helpers import answer, login, user_id
from tests.test_journey import attempts_count, quiz_form

LESSON = load_library(Path(__file__).parent / "fixtures" / "lessons").lesson("demo-pratique")
TAP, TAP_MENU, ORDER, TYPED = LESSON.quiz.questions
URL = f"/lecons/{LESSON.id}"


def places(steps: list[str]) -> dict[str, str]:
    """The selects of the ordering question, each step at its place in `steps`."""
    by_key = {step.key: step for step in ORDER.choices}
    return {AnswerFields.place(ORDER, by_key[key]): str(place) for place, key in enumerate(steps, start=1)}


RIGHT = {
    f"{TAP.key}-point": "120,160",
    TAP_MENU.key: next(c.key for c in TAP_MENU.choices if c.correct),  # chosen from the list
    **places([c.key for c in ORDER.choices]),
    AnswerFields.text(TYPED): " WWW.Service-Public.fr ",
}


def hints_shown(page: str) -> str:
    """The hints opened, not those kept in <template> for the page's script."""
    return " ".join(re.findall(r"data-hint-list>(.*?)</ul>", page, re.S))


def open_quiz(client, auth) -> str:
    auth.login()
    return client.get(URL).get_data(as_text=True)


def send(client, page, fields):
    return client.post(f"{URL}/quiz", data=quiz_form(page, fields))


def last_attempt(app) -> QuizAttempt:
    with app.app_context():
        return db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()


def test_all_right_practice_answers_pass_and_are_recorded(app, client, auth):
    page = open_quiz(client, auth)
    response = send(client, page, RIGHT)
    assert response.status_code == 302
    attempt = last_attempt(app)
    assert (attempt.score, attempt.max_score, attempt.passed) == (4, 4, True)
    assert attempt.answers[TAP.key] == ["120,160"]
    assert attempt.answers[ORDER.key] == [c.key for c in ORDER.choices]
    assert attempt.answers[TYPED.key] == ["WWW.Service-Public.fr"]
    assert attempt.hints == {}


def test_a_tap_sent_by_the_picture_itself_is_graded_at_the_pictures_size(app, client, auth):
    page = open_quiz(client, auth)
    # What <input type="image" name="q1"> sends without JavaScript: q1.x and q1.y.
    fields = {k: v for k, v in RIGHT.items() if k != f"{TAP.key}-point"} | {f"{TAP.key}.x": "30", f"{TAP.key}.y": "150"}
    assert send(client, page, fields).status_code == 302
    assert last_attempt(app).answers[TAP.key] == ["30,150"] and last_attempt(app).score == 4


def test_wrong_practice_answers_and_the_result_page_show_what_was_expected(app, client, auth):
    page = open_quiz(client, auth)
    wrong = RIGHT | {f"{TAP.key}-point": "120,220", **places([c.key for c in ORDER.choices][::-1]),
                     AnswerFields.text(TYPED): "www.service-public.com"}
    response = send(client, page, wrong)
    attempt = last_attempt(app)
    assert attempt.score == 1 and not attempt.passed
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "www.service-public.fr" in result  # the expected typed answer
    assert "www.service-public.com" in result  # beside what was typed
    assert 'class="tap-zone-right" x="20" y="140" width="200" height="48"' in result
    assert 'class="tap-learner" cx="120" cy="220"' in result
    assert "Le bon ordre" in result and "Votre ordre" in result
    assert 'style="' not in result  # strict CSP: no inline style


def test_dont_know_counts_as_not_right_and_is_recorded_as_itself(app, client, auth):
    page = open_quiz(client, auth)
    fields = {TAP.key: DONT_KNOW, TAP_MENU.key: DONT_KNOW, ORDER.key: DONT_KNOW, TYPED.key: DONT_KNOW}
    response = send(client, page, fields)
    assert response.status_code == 302
    attempt = last_attempt(app)
    assert attempt.score == 0
    assert attempt.answers == {q.key: [DONT_KNOW] for q in LESSON.quiz.questions}
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert result.count("Vous avez répondu « Je ne sais pas ».") == 4
    assert "le bouton « Envoyer » est le bouton en couleur" in result.replace("\u202f", " ")


def test_a_hint_without_javascript_shows_the_next_one_keeps_the_answers_and_records_nothing(app, client, auth):
    page = open_quiz(client, auth)
    assert "le bouton est en couleur" not in hints_shown(page)
    assert f'formaction="{URL}/quiz#{TAP.key}"' in page  # the page comes back at the question
    half = {f"{TAP.key}-point": "120,160", AnswerFields.text(TYPED): "caf", **places([c.key for c in ORDER.choices])}
    response = send(client, page, half | {"hint": TAP.key})
    assert response.status_code == 200 and attempts_count(app) == 0
    again = response.get_data(as_text=True)
    shown = hints_shown(again)
    assert "Indice 1 :" in shown and "le bouton est en couleur" in shown
    assert f'name="{AnswerFields.hints(TAP)}" value="1"' in again
    assert 'value="caf"' in again and 'value="120,160"' in again  # the answers kept
    assert 'cx="120" cy="160"' in again  # where the tap landed, drawn again
    assert again.count("selected>") == len(ORDER.choices)
    # The second hint, then the button goes: there are no more.
    again = send(client, again, half | {AnswerFields.hints(TAP): "1", "hint": TAP.key}).get_data(as_text=True)
    assert "Indice 2 :" in hints_shown(again) and f'value="{TAP.key}" formnovalidate' not in again
    # The hints opened are stored with the attempt.
    send(client, again, RIGHT | {AnswerFields.hints(TAP): "2", AnswerFields.hints(ORDER): "9"})
    assert last_attempt(app).hints == {TAP.key: 2, ORDER.key: 1}  # never more than the question has


def test_nothing_before_submission_reveals_a_right_answer_zone_or_accepted_value(client, auth):
    page = open_quiz(client, auth)
    for question in (TAP, TAP_MENU):
        for choice in question.choices:
            zone = choice.zone
            assert f"{zone.x} {zone.y} {zone.width} {zone.height}" not in page
            assert f'x="{zone.x}" y="{zone.y}"' not in page
    assert "service-public.fr" not in page.lower()
    assert "Explication" not in page and "correct" not in page
    # The steps are not shown in the right order, and the same way on every reload.
    shown = re.findall(rf'name="{ORDER.key}-([0-9a-f]+)"', page)
    assert sorted(shown) == sorted(c.key for c in ORDER.choices)
    assert shown != [c.key for c in ORDER.choices]
    assert re.findall(rf'name="{ORDER.key}-([0-9a-f]+)"', client.get(URL).get_data(as_text=True)) == shown


def test_an_incomplete_order_is_a_missing_answer_with_the_places_kept(app, client, auth):
    page = open_quiz(client, auth)
    steps = [c.key for c in ORDER.choices]
    fields = RIGHT | places(steps) | {AnswerFields.place(ORDER, ORDER.choices[1]): "1"}  # place 1 twice
    response = send(client, page, fields)
    assert response.status_code == 422 and attempts_count(app) == 0
    again = response.get_data(as_text=True)
    assert f'id="{ORDER.key}-missing"' in again
    assert again.count("selected>") == len(steps)


def test_tampered_practice_fields_get_a_clean_400(app, client, auth):
    page = open_quiz(client, auth)
    for fields in (RIGHT | {"q9-text": "x"}, RIGHT | {f"{TAP.key}-point": "", TAP.key: "zzz"}, RIGHT | {ORDER.key: "x"}):
        assert send(client, page, fields).status_code == 400
    assert attempts_count(app) == 0


def test_a_resent_practice_submission_is_stored_once(app, client, auth):
    page = open_quiz(client, auth)
    first = send(client, page, RIGHT)
    second = send(client, page, RIGHT)
    assert first.headers["Location"] == second.headers["Location"]
    assert attempts_count(app) == 1


def test_the_facilitator_sees_dont_know_hints_wrong_taps_and_the_most_common_wrong_order(app, client):
    steps = [c.key for c in ORDER.choices]
    swapped = [steps[1], steps[0], *steps[2:]]
    rest = {TAP_MENU.key: ["20,20"], TYPED.key: ["www.service-public.fr"]}
    now = utcnow()
    with app.app_context():
        lesson = get_library().lesson(LESSON.id)
        amina, josiane = user_id("amina"), user_id("josiane")
        answer(amina, lesson, now - timedelta(hours=1), {TAP.key: ["120,225"], ORDER.key: swapped, **rest}, hints={TAP.key: 2})
        answer(amina, lesson, now, {TAP.key: ["120,160"], ORDER.key: steps, **rest})  # not a first try
        answer(josiane, lesson, now, {TAP.key: [DONT_KNOW], ORDER.key: swapped, **rest}, hints={TAP.key: 1, ORDER.key: 1})
    login(client, "animatrice", "animatrice-demo")
    html = client.get(f"/animation/groupes/1/lecons/{LESSON.id}").get_data(as_text=True)
    tap, menu, order, typed = html.split('<li class="question-stat')[1:]
    assert "0\u202f% de bonnes réponses au premier essai" in tap
    assert "« Je ne sais pas » : 50\u202f% (1/2)" in tap and "« Je ne sais pas » : 0\u202f% (0/2)" in menu
    assert "Indices : 2 personnes en ont ouvert (3 indices en tout)." in tap
    assert "Indices : 1 personne en a ouvert (1 indice en tout)." in order
    assert 'class="tap-wrong" cx="120" cy="225"' in tap and tap.count('class="tap-wrong"') == 1
    assert 'class="tap-zone-right" x="20" y="140"' in tap
    assert "Mauvaise réponse la plus choisie (1 fois)" in tap and "Mes paiements" in tap
    assert "Mauvais ordre le plus donné (2 fois)" in order
    listed = re.findall(r"<li>(.*?)</li>", order.split("Mauvais ordre le plus donné", 1)[1])
    assert [item.replace("&#39;", "'").replace("&#x27;", "'") for item in listed[:2]] == ["Je touche «\u202fEnvoyer\u202f».", "J'ouvre l'application."]
    assert "100\u202f% de bonnes réponses" in typed and "Indices" not in typed
    # The learner's page names each answer: the zone tapped, the text typed, « Je ne sais pas ».
    learner = client.get(f"/animation/participants/{josiane}").get_data(as_text=True)
    assert "« Je ne sais pas »" in learner and "www.service-public.fr" in learner
    learner = client.get(f"/animation/participants/{amina}").get_data(as_text=True)
    assert "Le bouton «\u202fMes paiements\u202f»" in learner  # the zone tapped, named
