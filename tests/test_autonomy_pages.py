"""The ladder as people meet it: the learner's « Mon parcours » and her « Je l'ai fait pour de
vrai ! », the facilitator's two taps on a learner's page and a whole procedure on the group page."""

from __future__ import annotations

import html as markup
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
        progress.record_autonomy(user("amina"), PROCEDURE, AutonomyLevel.DONE_WITH_ME, user("animatrice"), at=datetime(2026, 11, 2, 9, 5))
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
