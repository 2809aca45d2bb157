"""« J'ai besoin d'aide », the lesson view and the learner view."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.lesson_library import get_library
from app.models import HelpRequest, utcnow
from tests.facilitate_helpers import answer, login, make_group, make_learner, token_from, user_id


def test_a_stuck_learner_is_called_back(app, client):
    login(client, "amina", "amina-demo")
    page = client.get("/lecons/demo-premiers-pas").get_data(as_text=True)
    # Offered at the top of the lesson, before its text and far from the quiz's button.
    offer = page.index('href="/lecons/demo-premiers-pas/aide"')
    assert "J&#39;ai besoin d&#39;aide" in page or "J'ai besoin d'aide" in page
    assert offer < page.index('class="lesson-body"') < page.index("Envoyer mes réponses")
    assert "·e" not in page
    form = client.get("/lecons/demo-premiers-pas/aide").get_data(as_text=True)
    assert 'maxlength="500"' in form and "500 caractères au plus." in form
    assert "Le matin" in form and "En fin de journée" in form and 'type="tel"' in form
    token = token_from(client, "/lecons/demo-premiers-pas/aide")
    too_long = "Je ne comprends pas. " * 30
    refused = client.post("/lecons/demo-premiers-pas/aide", data={"csrf_token": token, "message": too_long, "phone": "06 12 34 56 78"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Votre message est trop long : 500 caractères au plus." in html
    assert too_long.strip() in html and 'value="06 12 34 56 78"' in html  # nothing typed is lost
    bad_phone = client.post("/lecons/demo-premiers-pas/aide", data={"csrf_token": token, "phone": "appelez-moi"})
    assert bad_phone.status_code == 422 and "Écrivez un numéro de téléphone" in bad_phone.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0
    sent = client.post(
        "/lecons/demo-premiers-pas/aide",
        data={"csrf_token": token, "message": "La question 2 ?", "phone": "06 12 34 56 78", "call_back_time": "evening"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Votre animatrice ou votre animateur va vous rappeler." in sent
    assert "Vous avez demandé de l&#39;aide le " in sent or "Vous avez demandé de l'aide le " in sent
    # Asked again (a second tap, or a phone resending): still one request, with the latest words.
    client.post("/lecons/demo-premiers-pas/aide", data={"csrf_token": token, "message": "La question 2 ?", "call_back_time": "evening"})
    with app.app_context():
        rows = db.session.scalars(select(HelpRequest)).all()
        assert [(r.message, r.phone, r.call_back_time) for r in rows] == [("La question 2 ?", "", "evening")]
    again = client.get("/lecons/demo-premiers-pas/aide").get_data(as_text=True)
    assert "La question 2 ?</textarea>" in again and 'value="evening" checked' in again

    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    home = staff.get("/animation/").get_data(as_text=True)
    assert "À rappeler" in home and "Amina" in home and "Premiers pas" in home and "La question 2 ?" in home
    with app.app_context():
        request_id = db.session.scalar(select(HelpRequest.id))
    handled = staff.post(f"/animation/aide/{request_id}/traitee", data={"csrf_token": token_from(staff, "/animation/")}, follow_redirects=True)
    assert "La question 2 ?" not in handled.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(HelpRequest, request_id)
        assert row.handled_at is not None and row.handled_by_id == user_id("animatrice")


def test_lesson_view_counts_first_tries_and_the_most_chosen_wrong_answer(app, client):
    with app.app_context():
        lesson = get_library().lesson("demo-premiers-pas")
    right_q1, wrong_q1 = "3667c637", "436e6f66"
    rest = {"q2": ["dd3220be", "fbd530dc"], "q3": ["faux"]}
    now = utcnow()
    with app.app_context():
        amina, josiane = user_id("amina"), user_id("josiane")
        answer(amina, lesson, now - timedelta(hours=3), {"q1": [wrong_q1], **rest})
        answer(amina, lesson, now - timedelta(hours=2), {"q1": [right_q1], **rest})  # not a first try
        answer(josiane, lesson, now, {"q1": [wrong_q1], "q2": ["653b2fdc"], "q3": ["faux"]})
        other = make_group("Autre groupe")
        answer(make_learner("zoe", other), lesson, now, {"q1": [right_q1], **rest})  # other group
    login(client, "animatrice", "animatrice-demo")
    html = client.get("/animation/groupes/1/lecons/demo-premiers-pas").get_data(as_text=True)
    questions = html.split('<li class="question-stat')[1:]
    assert "0 % de bonnes réponses au premier essai" in questions[0] and "(0/2)" in questions[0]
    assert "Mauvaise réponse la plus choisie (2 fois)" in questions[0] and "Une seule fois." in questions[0]
    assert "50 % de bonnes réponses" in questions[1] and "Une publicité." in questions[1]
    assert "100 % de bonnes réponses" in questions[2]
    # The learner view shows every attempt with the answers given, as text.
    learner = client.get(f"/animation/participants/{amina}").get_data(as_text=True)
    assert learner.count('<details class="attempt">') == 2
    assert "Une seule fois." in learner and "Autant de fois que vous voulez." in learner
    assert "Réponse fausse :" in learner and "Bonne réponse :" in learner and "réussi" in learner
    # Each attempt's date, in its summary and in the timeline; every lesson's state, in words.
    for attempt in learner.split('<details class="attempt">')[1:]:
        stamp = attempt.split('<time datetime="', 1)[1].split('"', 1)[0]
        assert learner.count(f'<time datetime="{stamp}">') >= 2
    lessons = learner.split('<ul class="lesson-states">', 1)[1].split("<h2>", 1)[0]
    states = lessons.count('<abbr title="Terminée">') + lessons.count('<abbr title="Commencée">') + lessons.count("– à faire")
    with app.app_context():
        assert states == lessons.count("<li>") == len(get_library().ordered_lessons)
    certificate = client.get(f"/animation/participants/{amina}/attestation").get_data(as_text=True)
    assert "Attestation de suivi" in certificate and "Nadia" in certificate
