"""Every route, walked from app.url_map: who may reach what."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token

# Values for the URL parameters of every route.
SAMPLE_VALUES = {
    "module_id": "demo",
    "lesson_id": "demo-premiers-pas",
    "attempt_id": 1,
    "filename": "images/telephone.svg",
    "group_id": 1,  # Groupe démo, followed by the animatrice
    "learner_id": 3,  # amina
    "request_id": 1,
    "token": "carte-inconnue",
    "user_id": 3,
}
# The pages blueprint is public on purpose: the accessibility statement, the offline page and
# the service worker must answer before anyone signs in.
PUBLIC = {"auth.login", "healthz", "static", "pages.accessibility", "pages.offline", "pages.service_worker", "pages.favicon"}
# A sign-in card's QR code is opened by someone not signed in yet; an unknown card answers 404.
PUBLIC |= {"cards.sign_in"}
STAFF_ONLY_PREFIX = "facilitate."
ADMIN_ONLY = {"facilitate.admin", "facilitate.create_group", "facilitate.rename_group", "facilitate.archive_group",
              "facilitate.assign_facilitators", "facilitate.create_facilitator"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = rule.build({k: SAMPLE_VALUES[k] for k in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def request(client, method, url, signed_in=True):
    data = None
    if method == "POST" and signed_in:
        # A real form token, so the check under test is the role, not CSRF.
        data = {"csrf_token": csrf_token(client.get("/").get_data(as_text=True))}
    response = client.open(url, method=method, data=data)
    response.close()  # media files are streamed
    return response


def test_every_route_is_covered_by_this_walk(app):
    endpoints = {endpoint for endpoint, _, _ in routes(app)}
    assert {"learn.home", "learn.lesson", "learn.submit_quiz", "facilitate.home", "auth.logout"} <= endpoints


def test_anonymous_visitors_are_sent_to_sign_in_for_everything_not_public(app, client):
    for endpoint, method, url in routes(app):
        response = request(client, method, url, signed_in=False)
        if endpoint in PUBLIC:
            assert response.status_code in (200, 400, 404), (endpoint, method)  # 400: no CSRF token
        else:
            assert response.status_code in (302, 400), (endpoint, method, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/connexion"), endpoint


@pytest.mark.parametrize(("username", "staff"), [("amina", False), ("animatrice", True), ("admin", True)])
def test_facilitator_area_is_refused_to_participants_only(client, auth, app, username, staff):
    auth.login(username, f"{username}-demo")
    for endpoint, method, url in routes(app):
        if not endpoint.startswith(STAFF_ONLY_PREFIX):
            continue
        response = request(client, method, url)
        if staff and endpoint in ADMIN_ONLY and username != "admin":
            assert response.status_code == 403, (endpoint, method)
        elif staff and method == "GET":
            assert response.status_code == 200, (endpoint, method)
        elif staff:  # a POST with nothing but a CSRF token: refused as a form, never for the role
            assert response.status_code in (200, 302, 404, 422), (endpoint, method, response.status_code)
        else:
            assert response.status_code == 403, (endpoint, method)
            assert "Accès refusé" in response.get_data(as_text=True)


def test_participant_pages_answer_a_signed_in_participant(client, auth, app):
    auth.login()
    for endpoint, method, url in routes(app):
        if endpoint.startswith("learn.") and method == "GET" and endpoint != "learn.quiz_result":
            assert request(client, method, url).status_code == 200, endpoint


def test_forms_without_a_csrf_token_are_refused(client, auth):
    auth.login()
    response = client.post("/lecons/demo-sans-quiz/terminer", data={})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
