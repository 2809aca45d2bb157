"""The ladder as people meet it: the learner's « Mon parcours » and her « Je l'ai fait pour de
vrai ! », the facilitator's two taps on a learner's page and a whole procedure on the group page."""

from __future__ import annotations

import html as markup
import json
import re
from datetime import datetime

from sqlalchemy import func, select

from app import progress
from app.extensions import db
from app.models import AuditEvent, AutonomyClaim, AutonomyLevel, AutonomyStep, User
from tests.conftest import csrf_token

PROCEDURE = "demo-envoyer-message"


def user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def page_text(client, url: str) -> str:
    """The page as a reader meets it: entities read as the characters they show."""
    return markup.unescape(client.get(url).get_data(as_text=True))


def rungs_reached(html: str, procedure_id: str) -> list[str]:
    section = html.split(f'id="demarche-{procedure_id}"')[1].split("</section>")[0]
    return re.findall(r'class="rung rung-reached">.*?<strong>([^<]+)</strong>', section, re.S)


def test_mon_parcours_shows_each_procedure_with_its_four_rungs_in_words(app, client, auth):
    with app.app_context():
        progress.record_autonomy(
            user("amina"), PROCEDURE, AutonomyLevel.DONE_WITH_ME, user("animatrice"), at=datetime(2026, 11, 2, 9, 5)
        )
    auth.login()
    html = page_text(client, "/parcours")
    assert "Mes démarches pour de vrai" in html
    assert "Envoyer un message depuis son téléphone" in html and "Prendre une photo d'un document" in html
    section = html.split('id="demarche-demo-envoyer-message"')[1].split("</section>")[0]
    # Each rung has its picture and its words; the reached one says when and who.
    assert section.count("<svg") >= 4
    for words in ("Fait pour moi", "Fait avec moi", "Fait seule en exercice", "Fait seule pour de vrai"):
        assert words in section
    assert rungs_reached(html, PROCEDURE) == ["Fait avec moi"]
    assert "oui, le 2 novembre 2026 à 10\u00a0h\u00a005. Noté par Nadia." in section
    assert section.count("pas encore.") == 3
    assert "data-read-aloud" in section and "Je l'ai fait pour de vrai !" in section
    # What prepares it, from the catalogue: its two lessons and its exercise, as links.
    assert re.findall(r'<a href="(/[^"]+)">(Leçon|Exercice) :', section) == [
        ("/lecons/demo-premiers-pas", "Leçon"), ("/lecons/demo-sans-quiz", "Leçon"), ("/exercices/exercice-demo-payer", "Exercice"),
    ]


def test_je_l_ai_fait_pour_de_vrai_says_so_in_words_and_waits_for_the_animatrice(app, client, auth):
    auth.login()
    page = page_text(client, "/parcours")
    response = client.post(f"/parcours/demarches/{PROCEDURE}", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/parcours#demarche-{PROCEDURE}")
    html = page_text(client, "/parcours")
    assert "C'est noté : vous l'avez fait pour de vrai ! En attente : votre animatrice va confirmer." in html
    section = html.split(f'id="demarche-{PROCEDURE}"')[1].split("</section>")[0]
    assert "En attente : votre animatrice va confirmer." in section
    assert "Je l'ai fait pour de vrai !" not in section  # no second button
    # Sent again (a second tap, a resent form): still one claim.
    client.post(f"/parcours/demarches/{PROCEDURE}", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AutonomyClaim)) == 1


def test_an_unknown_procedure_is_a_404_and_writes_nothing(app, client, auth):
    auth.login()
    page = page_text(client, "/parcours")
    assert client.post("/parcours/demarches/inconnue", data={"csrf_token": csrf_token(page)}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AutonomyClaim)) == 0


def signed_in_as_nadia(client, auth):
    auth.login("animatrice", "animatrice-demo")


def test_the_facilitator_sets_a_rung_in_two_taps_and_it_is_in_the_audit_log(app, client, auth):
    with app.app_context():
        amina_id = user("amina").id
    signed_in_as_nadia(client, auth)
    page = page_text(client, f"/animation/participants/{amina_id}")
    assert "Démarches : l'échelle de l'autonomie" in page and "Aucune marche notée." in page
    response = client.post(
        f"/animation/participants/{amina_id}/demarches/{PROCEDURE}",
        data={"csrf_token": csrf_token(page), "level": "done-with-me"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#demarche-{PROCEDURE}")
    page = page_text(client, f"/animation/participants/{amina_id}")
    assert "C'est noté : « fait avec moi » pour « Envoyer un message depuis son téléphone », pour Amina." in page
    assert "Niveau : fait avec moi." in page
    with app.app_context():
        step = db.session.scalar(select(AutonomyStep))
        assert (step.user_id, step.level, step.set_by_id) == (
            amina_id,
            AutonomyLevel.DONE_WITH_ME,
            user("animatrice").id,
        )
        assert db.session.scalar(select(AuditEvent.detail).filter_by(action="niveau d'autonomie")) == (
            "demo-envoyer-message : fait avec moi"
        )


def test_a_waiting_claim_shows_a_confirmer_and_the_top_rung_confirms_it(app, client, auth):
    with app.app_context():
        amina = user("amina")
        amina_id = amina.id
        progress.claim_done_for_real(amina, PROCEDURE)
    signed_in_as_nadia(client, auth)
    page = page_text(client, f"/animation/participants/{amina_id}")
    assert "à confirmer" in page and "Amina dit l'avoir fait seule pour de vrai" in page
    client.post(
        f"/animation/participants/{amina_id}/demarches/{PROCEDURE}",
        data={"csrf_token": csrf_token(page), "level": "alone-for-real"},
    )
    page = page_text(client, f"/animation/participants/{amina_id}")
    assert "Niveau : fait seule pour de vrai." in page and "dit l'avoir fait" not in page
    with app.app_context():
        claim = db.session.scalar(select(AutonomyClaim))
        assert (claim.waiting, claim.confirmed) == (None, True)


def test_a_rung_that_is_not_one_is_refused_in_french_and_changes_nothing(app, client, auth):
    with app.app_context():
        amina_id = user("amina").id
    signed_in_as_nadia(client, auth)
    page = page_text(client, f"/animation/participants/{amina_id}")
    for level in ("", "tout-seul", "x" * 5000):
        response = client.post(
            f"/animation/participants/{amina_id}/demarches/{PROCEDURE}",
            data={"csrf_token": csrf_token(page), "level": level},
        )
        assert response.status_code == 422
        assert "Choisissez une des 4 marches pour « Envoyer un message depuis son téléphone »." in markup.unescape(
            response.get_data(as_text=True)
        )
    assert (
        client.post(
            f"/animation/participants/{amina_id}/demarches/inconnue",
            data={"csrf_token": csrf_token(page), "level": "done-for-me"},
        ).status_code
        == 404
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AutonomyStep)) == 0


def test_a_whole_procedure_for_the_people_ticked_after_a_confirmation(app, client, auth):
    with app.app_context():
        amina, josiane = user("amina"), user("josiane")
        group_id, amina_id, josiane_id = amina.group_id, amina.id, josiane.id
        progress.record_autonomy(amina, PROCEDURE, AutonomyLevel.DONE_WITH_ME, user("animatrice"))
    signed_in_as_nadia(client, auth)
    assert "Noter une démarche pour plusieurs personnes" in page_text(client, f"/animation/groupes/{group_id}")
    page = page_text(client, f"/animation/groupes/{group_id}/demarches?demarche={PROCEDURE}")
    assert f'<option selected value="{PROCEDURE}">' in page and "checked" not in page  # nobody ticked
    chosen = {"procedure": PROCEDURE, "level": "done-with-me", "learners": [str(amina_id), str(josiane_id)]}
    # Nothing ticked: said in words, the choices kept.
    refused = client.post(
        f"/animation/groupes/{group_id}/demarches", data={"csrf_token": csrf_token(page)} | chosen | {"learners": []}
    )
    text = markup.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422 and "Cochez au moins une personne." in text
    assert re.search(r'<input checked [^>]*value="done-with-me"', text)
    assert f'<option selected value="{PROCEDURE}">' in text
    confirm = client.post(f"/animation/groupes/{group_id}/demarches", data={"csrf_token": csrf_token(page)} | chosen)
    text = markup.unescape(confirm.get_data(as_text=True))
    assert confirm.status_code == 200 and "Noter « fait avec moi » pour 2 personnes ?" in text
    assert "Rien n'est changé tant que vous n'avez pas confirmé." in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AutonomyStep)) == 1
    done = client.post(
        f"/animation/groupes/{group_id}/demarches", data={"csrf_token": csrf_token(text), "confirmed": "1"} | chosen
    )
    assert done.status_code == 302
    page = page_text(client, f"/animation/groupes/{group_id}")
    assert "C'est noté : « fait avec moi » pour « Envoyer un message depuis son téléphone », pour Josiane." in page
    # The group's table: both at « fait avec moi » (their highest rung), none to confirm, a link per procedure.
    row = (
        page.split('id="demarches-groupe"')[1]
        .split("Envoyer un message depuis son téléphone</th>")[1]
        .split("</tr>")[0]
    )
    assert re.findall(r"<td>(\d+)</td>", row) == ["0", "2", "0", "0", "0"]
    assert f"/animation/groupes/{group_id}/demarches?demarche={PROCEDURE}" in row
    with app.app_context():
        steps = db.session.scalars(select(AutonomyStep).order_by(AutonomyStep.id)).all()
        assert [(s.user_id, s.level) for s in steps] == [
            (amina_id, AutonomyLevel.DONE_WITH_ME),
            (josiane_id, AutonomyLevel.DONE_WITH_ME),
        ]


def test_another_group_s_facilitator_can_set_nothing(app, client, auth):
    from tests.facilitate_helpers import PASSWORD, make_group

    with app.app_context():
        amina = user("amina")
        group_id, amina_id = amina.group_id, amina.id
        make_group("Autre groupe", facilitators=["autre"])
    auth.login("autre", PASSWORD)
    page = page_text(client, "/mes-donnees")
    data = {"csrf_token": csrf_token(page), "level": "done-for-me"}
    assert client.post(f"/animation/participants/{amina_id}/demarches/{PROCEDURE}", data=data).status_code == 404
    assert (
        client.post(
            f"/animation/groupes/{group_id}/demarches",
            data=data | {"procedure": PROCEDURE, "learners": [str(amina_id)], "confirmed": "1"},
        ).status_code
        == 404
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AutonomyStep)) == 0


def test_mes_donnees_shows_and_exports_her_ladder_and_her_claims(app, client, auth):
    with app.app_context():
        amina = user("amina")
        progress.record_autonomy(
            amina, PROCEDURE, AutonomyLevel.DONE_WITH_ME, user("animatrice"), at=datetime(2026, 11, 2, 9, 5)
        )
        progress.record_autonomy(
            amina, PROCEDURE, AutonomyLevel.ALONE_IN_EXERCISE, None, at=datetime(2026, 11, 3, 9, 5)
        )
        progress.claim_done_for_real(amina, "demo-prendre-photo", at=datetime(2026, 11, 4, 9, 5))
    auth.login()
    page = page_text(client, "/mes-donnees")
    section = page.split("Mes démarches pour de vrai")[1].split("<h2>")[0]
    assert "« fait avec moi », le 2 novembre 2026 à 10\u00a0h\u00a005. Noté par Nadia." in section
    assert (
        "« fait seule en exercice », le 3 novembre 2026" in section and "Noté par la plateforme (exercice)." in section
    )
    assert "Vous avez dit « Je l'ai fait pour de vrai ! » le 4 novembre 2026" in section and ": en attente." in section
    data = json.loads(client.get("/mes-donnees/mes-donnees.json").get_data(as_text=True))
    assert [(s["démarche"], s["marche"], s["noté par"]) for s in data["démarches"]] == [
        ("Envoyer un message depuis son téléphone", "fait avec moi", "Nadia"),
        ("Envoyer un message depuis son téléphone", "fait seule en exercice", "la plateforme (exercice)"),
    ]
    assert data["« je l'ai fait pour de vrai ! »"][0]["réponse"] == "en attente"
    text = client.get("/mes-donnees/mes-donnees.csv").get_data(as_text=True)
    assert "démarches;1;marche;fait avec moi" in text
    # The audit line of Nadia's change is hers to read too.
    assert any(line["action"] == "niveau d'autonomie" for line in data["consultations et changements par l'équipe"])


def test_waiting_claims_are_listed_on_the_facilitator_s_home_for_her_groups_only(app, client, auth):
    from tests.facilitate_helpers import PASSWORD, make_group

    with app.app_context():
        amina_id = user("amina").id
        progress.claim_done_for_real(user("amina"), PROCEDURE)
        make_group("Autre groupe", facilitators=["autre"])
    signed_in_as_nadia(client, auth)
    home = page_text(client, "/animation/")
    section = home.split('id="a-confirmer"')[1].split("</section>")[0]
    assert "Amina" in section and "Envoyer un message depuis son téléphone" in section and "à confirmer" in section
    assert f"/animation/participants/{amina_id}#demarche-{PROCEDURE}" in section
    auth.logout()
    auth.login("autre", PASSWORD)
    assert 'id="a-confirmer"' not in page_text(client, "/animation/")
