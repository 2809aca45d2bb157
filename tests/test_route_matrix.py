"""Every route in app.url_map, as each kind of visitor: exactly what each one should get.

A new route without a line in EXPECTED fails this test, so nobody adds a page without
deciding who may open it.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import progress
from app.content import grade
from app.extensions import db
from app.lesson_library import get_library
from app.models import CategoryConsent, EnrolledDevice, ParticipantCategory, User, Workshop, WorkshopAttendance
from tests.conftest import csrf_token
from tests.facilitate_helpers import PASSWORD, make_group

ROLES = ("anonymous", "participant", "facilitator", "other_facilitator", "admin")
OK, LOGIN, REDIRECT = "ok", "login", "redirect"

# The signed-in group: Groupe démo (id 1), its learner amina (id 3), josiane (id 4), help request 1, attempt 1, amina's phone 1,
# amina's run 1 of the practice scenario (the admin's is run 2), workshop 1 of Groupe démo, category 1
# recorded for amina.
SAMPLE_VALUES = {
    "module_id": "demo", "lesson_id": "demo-premiers-pas", "attempt_id": 1, "filename": "images/telephone.svg",
    "group_id": 1, "learner_id": 3, "token": "carte-inconnue", "user_id": 4, "action": "anonymiser",
    "device_id": 1, "scenario_id": "exercice-demo-payer", "run_id": 1, "procedure_id": "demo-envoyer-message",
    "workshop_id": 1, "category_id": 1, "moment": "debut",
}

LEARNER = {"anonymous": LOGIN, "participant": OK, "facilitator": OK, "other_facilitator": OK, "admin": OK}
PUBLIC = dict.fromkeys(ROLES, OK)
GROUP_SCOPED = {"anonymous": LOGIN, "participant": 403, "facilitator": OK, "other_facilitator": 404, "admin": OK}
STAFF = {"anonymous": LOGIN, "participant": 403, "facilitator": OK, "other_facilitator": OK, "admin": OK}
ADMIN = {"anonymous": LOGIN, "participant": 403, "facilitator": 403, "other_facilitator": 403, "admin": OK}



def without_its_value(access: dict) -> dict:
    """A yes/no button sent without its value: 400 once access is granted."""
    return {role: 400 if outcome == OK else outcome for role, outcome in access.items()}


EXPECTED = {
    ("healthz", "GET"): PUBLIC,
    ("static", "GET"): PUBLIC,
    ("auth.login", "GET"): {"anonymous": OK} | dict.fromkeys(ROLES[1:], REDIRECT),
    ("auth.login", "POST"): {"anonymous": OK} | dict.fromkeys(ROLES[1:], REDIRECT),
    ("auth.logout", "POST"): dict.fromkeys(ROLES, LOGIN),
    ("auth.card", "GET"): dict.fromkeys(ROLES, 404),  # an unknown card
    ("auth.card_sign_in", "POST"): dict.fromkeys(ROLES, 404),  # sent without a card's token
    # Amina's phone 1: not this browser, which holds no device secret.
    ("auth.picture_code", "GET"): {"anonymous": 404} | dict.fromkeys(ROLES[1:], REDIRECT),
    ("auth.picture_code", "POST"): {"anonymous": 404} | dict.fromkeys(ROLES[1:], REDIRECT),
    ("pages.accessibility", "GET"): PUBLIC,
    ("pages.offline", "GET"): PUBLIC,
    ("pages.service_worker", "GET"): PUBLIC,
    ("pages.favicon", "GET"): PUBLIC,
    ("privacy.notice", "GET"): PUBLIC,
    ("learn.home", "GET"): LEARNER,
    ("learn.module", "GET"): LEARNER,
    ("learn.lesson", "GET"): LEARNER,
    ("learn.lesson_media", "GET"): LEARNER,
    ("learn.journey", "GET"): LEARNER,
    ("learn.glossary", "GET"): LEARNER,
    ("learn.claim_done_for_real", "POST"): LEARNER,
    # Sent without the form's own client id: not a form of ours.
    ("learn.submit_quiz", "POST"): {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 400),
    # Amina passed a lesson of the demo module: its start is no longer the moment, she is sent back to it.
    ("learn.self_assessment", "GET"): LEARNER | {"participant": REDIRECT},
    ("learn.answer_self_assessment", "POST"): LEARNER,
    ("learn.help_page", "GET"): LEARNER,
    ("learn.ask_for_help", "POST"): LEARNER,
    # A lesson with a quiz is finished by passing it, never by this button.
    ("learn.complete", "POST"): {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 400),
    # Attempt 1 is amina's: nobody else sees it, not even the staff, through this page.
    ("learn.quiz_result", "GET"): {"anonymous": LOGIN, "participant": OK} | dict.fromkeys(ROLES[2:], 404),
    ("learn.exercise", "GET"): LEARNER,
    ("learn.start_exercise", "POST"): LEARNER,
    # Run 1 is amina's: nobody else sees or moves it, not even the staff.
    ("learn.exercise_screen", "GET"): {"anonymous": LOGIN, "participant": OK} | dict.fromkeys(ROLES[2:], 404),
    # Sent without its step number: not a form of ours.
    ("learn.exercise_step", "POST"): {"anonymous": LOGIN, "participant": 400} | dict.fromkeys(ROLES[2:], 404),
    # Not finished yet: back to its screen.
    ("learn.exercise_result", "GET"): {"anonymous": LOGIN, "participant": REDIRECT} | dict.fromkeys(ROLES[2:], 404),
    ("privacy.my_data", "GET"): LEARNER,
    ("privacy.my_data_csv", "GET"): LEARNER,
    ("privacy.my_data_json", "GET"): LEARNER,
    ("privacy.confirm_deletion", "GET"): LEARNER,
    ("privacy.request_deletion", "POST"): LEARNER,
    # Phone 1 is amina's: only she removes it from her page.
    ("privacy.remove_phone", "POST"): {"anonymous": LOGIN, "participant": OK} | dict.fromkeys(ROLES[2:], 404),
    ("privacy.cancel_deletion", "POST"): LEARNER,
    # Category 1 is amina's: only she removes it from her page (staff from hers).
    ("privacy.remove_category", "POST"): {"anonymous": LOGIN, "participant": OK} | dict.fromkeys(ROLES[2:], 404),
    ("facilitate.home", "GET"): STAFF,
    ("facilitate.impact", "GET"): STAFF,
    ("facilitate.impact_csv", "GET"): STAFF,
    ("facilitate.group", "GET"): GROUP_SCOPED,
    ("facilitate.export_group", "GET"): GROUP_SCOPED,
    ("facilitate.lesson", "GET"): GROUP_SCOPED,
    ("facilitate.scenario", "GET"): GROUP_SCOPED,
    ("facilitate.learner_scenario", "GET"): GROUP_SCOPED,
    ("facilitate.cards", "GET"): GROUP_SCOPED,
    ("facilitate.cards", "POST"): GROUP_SCOPED,
    ("facilitate.import_participants", "GET"): GROUP_SCOPED,
    ("facilitate.import_participants", "POST"): GROUP_SCOPED,
    ("facilitate.new_participant", "GET"): GROUP_SCOPED,
    ("facilitate.new_participant", "POST"): GROUP_SCOPED,
    ("facilitate.learner", "GET"): GROUP_SCOPED,
    ("facilitate.certificate", "GET"): GROUP_SCOPED,
    ("facilitate.reset_password", "POST"): GROUP_SCOPED,
    ("facilitate.set_active", "POST"): without_its_value(GROUP_SCOPED),
    ("facilitate.revoke_card", "POST"): GROUP_SCOPED,
    ("facilitate.sign_out_everywhere", "POST"): GROUP_SCOPED,
    ("facilitate.lift_wait", "POST"): GROUP_SCOPED,
    ("facilitate.call_back", "POST"): GROUP_SCOPED,
    ("facilitate.export_people", "GET"): GROUP_SCOPED,
    ("facilitate.set_picture_code", "POST"): GROUP_SCOPED,
    ("facilitate.unlock_phone", "POST"): GROUP_SCOPED,
    ("facilitate.remove_phone", "POST"): GROUP_SCOPED,
    # Sent without a rung: refused with its message (422), once access is granted.
    ("facilitate.set_autonomy", "POST"): GROUP_SCOPED,
    ("facilitate.group_autonomy", "GET"): GROUP_SCOPED,
    ("facilitate.group_autonomy", "POST"): GROUP_SCOPED,
    ("facilitate.workshops_list", "GET"): GROUP_SCOPED,
    ("facilitate.new_workshop", "GET"): GROUP_SCOPED,
    ("facilitate.new_workshop", "POST"): GROUP_SCOPED,
    ("facilitate.edit_workshop", "GET"): GROUP_SCOPED,
    ("facilitate.edit_workshop", "POST"): GROUP_SCOPED,
    ("facilitate.delete_workshop", "POST"): GROUP_SCOPED,  # the confirmation page: nothing deleted
    ("facilitate.record_category", "POST"): GROUP_SCOPED,
    ("facilitate.remove_category", "POST"): GROUP_SCOPED,
    ("facilitate.create_category", "POST"): ADMIN,
    ("facilitate.admin", "GET"): ADMIN,
    ("facilitate.create_group", "POST"): ADMIN,
    ("facilitate.rename_group", "POST"): ADMIN,
    ("facilitate.archive_group", "POST"): without_its_value(ADMIN),
    ("facilitate.assign_facilitators", "POST"): ADMIN,
    ("facilitate.create_facilitator", "POST"): ADMIN,
    ("privacy.admin", "GET"): ADMIN,
    ("privacy.audit_csv", "GET"): ADMIN,
    ("privacy.act_on_learner", "POST"): ADMIN,
}
# Run last: they end the session or remove the sample records.
LAST = [("facilitate.remove_category", "POST"), ("privacy.remove_category", "POST"), ("facilitate.remove_phone", "POST"), ("privacy.remove_phone", "POST"), ("privacy.act_on_learner", "POST"), ("auth.logout", "POST")]


def every_route(app):
    found = []
    for rule in app.url_map.iter_rules():
        values = {k: SAMPLE_VALUES[k] for k in rule.arguments if k != "filename"}
        if rule.endpoint == "static":
            values["filename"] = "icons/favicon.svg"
        elif "filename" in rule.arguments:
            values["filename"] = SAMPLE_VALUES["filename"]
        url = rule.build(values)[1]
        found += [(rule.endpoint, method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return sorted(found, key=lambda route: (route[:2] in LAST, LAST.index(route[:2]) if route[:2] in LAST else 0, route[1]))


def test_every_route_has_an_expectation(app):
    assert {(endpoint, method) for endpoint, method, _ in every_route(app)} == set(EXPECTED)


def add_sample_records(app) -> None:
    """Amina's quiz attempt 1, help request 1, enrolled phone 1 and run 1 of the practice scenario, which
    the sample URLs point at; the admin's run 2, for the forms' campaign (test_bad_input.py)."""
    with app.app_context():
        amina = db.session.scalar(select(User).filter_by(username="amina"))
        scenario = get_library().scenario(SAMPLE_VALUES["scenario_id"])
        progress.start_scenario_run(amina.id, scenario)
        progress.start_scenario_run(db.session.scalar(select(User.id).filter_by(username="admin")), scenario)
        lesson = get_library().lesson("demo-premiers-pas")
        answers = {q.key: sorted(q.right_keys) for q in lesson.quiz.questions}
        progress.record_attempt(amina.id, lesson, grade(lesson.quiz, answers), "sample-attempt")
        progress.request_help(amina.id, lesson.id, "Je ne trouve pas le bouton.")
        db.session.add(EnrolledDevice(user_id=amina.id, secret_hash="0" * 64))  # phone 1, its secret on no browser here
        workshop = Workshop(group_id=amina.group_id, module_id="demo", day=date(2026, 11, 30), minutes=120)
        category = ParticipantCategory(label="parent seul")
        db.session.add_all([workshop, category])
        db.session.flush()
        db.session.add_all([WorkshopAttendance(workshop_id=workshop.id, user_id=amina.id),
                            CategoryConsent(user_id=amina.id, category_id=category.id)])
        db.session.commit()


def sign_in_as(app, client, role):
    add_sample_records(app)
    with app.app_context():
        make_group("Autre groupe", facilitators=["autre"])
    accounts = {
        "participant": ("amina", "amina-demo"), "facilitator": ("animatrice", "animatrice-demo"),
        "other_facilitator": ("autre", PASSWORD), "admin": ("admin", "admin-demo"),
    }
    if role in accounts:
        username, password = accounts[role]
        page = client.get("/connexion").get_data(as_text=True)
        response = client.post("/connexion", data={"csrf_token": csrf_token(page), "username": username, "password": password})
        assert response.status_code == 302


def outcome(response) -> str | int:
    if response.status_code == 302:
        return LOGIN if response.headers["Location"].startswith("/connexion") else REDIRECT
    # A form sent with nothing but its token: accepted, or answered with its own message.
    if response.status_code in (200, 422):
        return OK
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_exactly_what_they_should(app, client, role):
    sign_in_as(app, client, role)
    token = csrf_token(client.get("/connexion").get_data(as_text=True)) if role == "anonymous" else None
    wrong = []
    for endpoint, method, url in every_route(app):
        data = None
        if method == "POST":
            page = client.get("/mes-donnees" if role != "anonymous" else "/connexion").get_data(as_text=True)
            data = {"csrf_token": token or csrf_token(page)}
        response = client.open(url, method=method, data=data)
        response.close()
        got, expected = outcome(response), EXPECTED[(endpoint, method)][role]
        if got == REDIRECT and expected == OK and method == "POST":
            got = OK  # an accepted action redirects to its page
        if got != expected:
            wrong.append((endpoint, method, expected, got))
    assert wrong == []


def test_forms_without_a_csrf_token_are_refused(client, auth):
    auth.login()
    response = client.post("/lecons/demo-sans-quiz/terminer", data={})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
