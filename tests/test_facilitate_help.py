"""« J'ai besoin d'aide », the lesson view and the learner view."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.lesson_library import get_library
from app.models import FollowUp, HelpRequest, utcnow
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
    needs = home.split('id="besoin"', 1)[1].split('id="groupes"', 1)[0]
    assert "A demandé de l'aide le" in needs and "Premiers pas" in needs and "La question 2 ?" in needs
    with app.app_context():
        amina = user_id("amina")
    # « J'ai rappelé » with a note that is too long: refused with its message, the note kept, nothing written.
    token = token_from(staff, "/animation/")
    long_note = "Elle a compris la question deux. " * 12
    refused = staff.post(f"/animation/participants/{amina}/rappel", data={"csrf_token": token, "note": long_note, "retour": "accueil"})
    assert refused.status_code == 422
    assert "300 caractères au plus" in refused.get_data(as_text=True) and long_note.strip() in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 0
        assert db.session.scalar(select(HelpRequest.handled_at)) is None
    called = staff.post(f"/animation/participants/{amina}/rappel",
                        data={"csrf_token": token, "note": "Rappelée : elle refait le quiz jeudi.", "retour": "accueil"})
    assert called.status_code == 302 and called.headers["Location"].endswith("/animation/")
    home = staff.get("/animation/").get_data(as_text=True)
    assert "La question 2 ?" not in home and "vous avez rappelé Amina" in home
    with app.app_context():
        row = db.session.scalar(select(HelpRequest))
        assert row.handled_at is not None and row.handled_by_id == user_id("animatrice")
    # The note stays on the learner's page, in the learner's own data and in the audit log.
    page = staff.get(f"/animation/participants/{amina}").get_data(as_text=True)
    assert "Rappelée : elle refait le quiz jeudi." in page.split('id="rappels"', 1)[1]
    mine = client.get("/mes-donnees").get_data(as_text=True)
    assert "Rappelée : elle refait le quiz jeudi." in mine
    assert "Rappelée : elle refait le quiz jeudi." in client.get("/mes-donnees/mes-donnees.csv").get_data(as_text=True)
    admin = app.test_client()
    login(admin, "admin", "admin-demo")
    audit = admin.get("/animation/confidentialite").get_data(as_text=True)
    assert "rappel" in audit and "note de suivi" in audit


def test_call_back_from_the_group_page_goes_back_to_it(app, client):
    login(client, "animatrice", "animatrice-demo")
    with app.app_context():
        josiane = user_id("josiane")
    response = client.post(f"/animation/participants/{josiane}/rappel",
                           data={"csrf_token": token_from(client, "/animation/groupes/1"), "retour": "groupe"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/animation/groupes/1")
    with app.app_context():
        assert db.session.scalar(select(FollowUp.note).where(FollowUp.learner_id == josiane)) == ""
    # From the learner's page, back to it, the call listed there.
    page = client.get(f"/animation/participants/{josiane}").get_data(as_text=True)
    assert 'name="retour" value="fiche"' in page and "sans note" in page.split('id="rappels"', 1)[1]
    response = client.post(f"/animation/participants/{josiane}/rappel",
                           data={"csrf_token": token_from(client, "/animation/"), "retour": "fiche", "note": "Messagerie."})
    assert response.headers["Location"].endswith(f"/animation/participants/{josiane}")
    notes = client.get(response.headers["Location"]).get_data(as_text=True).split('id="rappels"', 1)[1].split("</section>", 1)[0]
    assert notes.index("« Messagerie. »") < notes.index("sans note")  # newest first


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
    assert "Dans ce groupe, 2 personnes ont ouvert la leçon." in html and "(s)" not in html
    questions = html.split('<li class="question-stat')[1:]
    assert "0\u202f% de bonnes réponses au premier essai" in questions[0] and "(0/2)" in questions[0]
    assert "Mauvaise réponse la plus choisie (2 fois)" in questions[0] and "Une seule fois." in questions[0]
    assert "50\u202f% de bonnes réponses" in questions[1] and "Une publicité." in questions[1]
    assert "100\u202f% de bonnes réponses" in questions[2]
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
