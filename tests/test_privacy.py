"""RGPD: see and download one's data, ask for deletion, anonymise, delete, purge, audit."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app import progress
from app.content import grade, load_library
from app.extensions import db
from app.models import Activity, AuditEvent, LessonProgress, QuizAttempt, User, utcnow
from app.privacy import services
from tests.conftest import csrf_token

LIBRARY = load_library(Path(__file__).parent / "fixtures" / "lessons")
LESSON = LIBRARY.lesson("demo-premiers-pas")
RIGHT = {q.key: sorted(q.right_keys) for q in LESSON.quiz.questions}


def user(name: str) -> User:
    return db.session.execute(select(User).filter_by(username=name)).scalar_one()


def with_attempt(app, name="amina"):
    with app.app_context():
        opened = utcnow() - timedelta(minutes=5)
        progress.record_visit(user(name).id, LESSON.id, at=opened)
        progress.record_attempt(user(name).id, LESSON, grade(LESSON.quiz, RIGHT), f"attempt-{name}", at=opened + timedelta(seconds=90))


def today_in_paris() -> str:
    return datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def count(model, **filters):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def test_privacy_notice_is_public_and_plain(client):
    page = client.get("/confidentialite").get_data(as_text=True)
    for heading in ("Qui garde vos données ?", "Quelles données ?", "Pourquoi ?", "Combien de temps ?", "Vos droits"):
        assert heading in page
    assert "24 mois" in page and "CNIL" in page


def test_a_learner_sees_and_downloads_all_their_data(app, client, auth):
    with_attempt(app)
    auth.login()
    page = client.get("/mes-donnees").get_data(as_text=True)
    assert "amina" in page and "Groupe démo" in page and "Premiers pas" in page and "3/3" in page

    exported = json.loads(client.get("/mes-donnees/mes-donnees.json").get_data(as_text=True))
    assert exported["compte"]["identifiant"] == "amina"
    assert exported["quiz"][0]["réponses"] == RIGHT
    assert exported["leçons"][0]["temps passé (secondes)"] == 90
    assert exported["jours d'activité"] == [{"date": today_in_paris()}]

    response = client.get("/mes-donnees/mes-donnees.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="mes-donnees.csv"'
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeffcatégorie;numéro;champ;valeur\r\n")
    assert "quiz;1;score;3/3\r\n" in text
    assert f"jours d'activité;1;date;{today_in_paris()}\r\n" in text


def test_my_data_says_dates_in_words_and_in_paris_time(app, client, auth):
    with_attempt(app)
    with app.app_context():
        amina = user("amina")
        amina.created_at = datetime(2026, 12, 1, 13, 5)  # UTC: 14 h 05 in Paris in winter
        amina.last_login_at = datetime(2026, 7, 14, 20, 30)  # 22 h 30 in summer
        db.session.commit()
    auth.login()
    page = client.get("/mes-donnees").get_data(as_text=True)
    assert "le 1er décembre 2026 à 14\u00a0h\u00a005" in page
    assert "T13:05" not in page and "2026-12-01" not in page
    assert "Mes données en tableau" in page and "Toutes mes données, pour un autre service" in page
    exported = json.loads(client.get("/mes-donnees/mes-donnees.json").get_data(as_text=True))
    assert exported["compte"]["créé le"] == "2026-12-01T14:05:00+01:00"


def test_asking_for_deletion_is_confirmed_first_and_can_be_cancelled(app, client, auth):
    auth.login()
    page = client.get("/mes-donnees").get_data(as_text=True)
    assert 'href="/mes-donnees/suppression"' in page  # a link to a page that asks, not a button that acts
    confirm = client.get("/mes-donnees/suppression").get_data(as_text=True)
    assert "vous ne pourrez plus vous connecter, même avec votre carte" in confirm
    assert "Non, garder mon compte" in confirm and 'href="/mes-donnees"' in confirm
    with app.app_context():
        assert user("amina").deletion_requested_at is None  # looking at the question changed nothing
    client.post("/mes-donnees/suppression", data={"csrf_token": csrf_token(confirm)})
    asked = client.get("/mes-donnees").get_data(as_text=True)
    assert "Vous avez demandé la suppression le " in asked and "Annuler ma demande" in asked
    assert "Vous avez déjà demandé la suppression le " in client.get("/mes-donnees/suppression").get_data(as_text=True)
    client.post("/mes-donnees/suppression/annuler", data={"csrf_token": csrf_token(asked)})
    with app.app_context():
        assert user("amina").deletion_requested_at is None
    assert "Votre demande de suppression est annulée" in client.get("/mes-donnees").get_data(as_text=True)


def test_exports_neutralise_spreadsheet_formulas():
    data = {"compte": {"prénom": "=HYPERLINK(\"x\")"}, "leçons": [{"leçon": "+1"}], "quiz": [], "demandes d'aide": [{"message": "@SUM"}],
            "rappels": [{"note": "-2+3"}], "jours d'activité": []}
    text = services.personal_data_csv(data)
    assert "compte;1;prénom;\"'=HYPERLINK" in text and "leçons;1;leçon;'+1" in text and ";'@SUM" in text and "rappels;1;note;'-2+3" in text


def test_deletion_request_then_anonymisation_keeps_the_figures(app, client, auth):
    with_attempt(app)
    auth.login()
    page = client.get("/mes-donnees").get_data(as_text=True)
    client.post("/mes-donnees/suppression", data={"csrf_token": csrf_token(page)})
    assert "Vous avez demandé la suppression" in client.get("/mes-donnees").get_data(as_text=True)
    auth.logout()

    auth.login("admin", "admin-demo")
    admin_page = client.get("/animation/confidentialite").get_data(as_text=True)
    assert "Amina" in admin_page and "Demandes de suppression" in admin_page
    with app.app_context():
        amina_id = user("amina").id
    response = client.post(f"/animation/confidentialite/{amina_id}/anonymiser", data={"csrf_token": csrf_token(admin_page)})
    assert response.status_code == 302
    with app.app_context():
        anonymous = db.session.get(User, amina_id)
        assert (anonymous.username, anonymous.first_name, anonymous.active) == (f"anonyme-{amina_id}", "Anonyme", False)
        assert anonymous.group.name == "Groupe démo"  # still counted in the group's figures
        assert count(QuizAttempt, user_id=amina_id) == 1 and count(LessonProgress, user_id=amina_id) == 1
        assert count(Activity, user_id=amina_id) == 2  # the activity log keeps the figures
        assert count(AuditEvent, subject_id=amina_id, action="anonymisation") == 1
    auth.logout()
    assert auth.login().status_code == 422


def test_admin_can_delete_a_learner_and_every_record(app, client, auth):
    with_attempt(app)
    auth.login("admin", "admin-demo")
    page = client.get("/animation/confidentialite").get_data(as_text=True)
    with app.app_context():
        amina_id = user("amina").id
        assert count(Activity) == 2
    client.post(f"/animation/confidentialite/{amina_id}/supprimer", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.get(User, amina_id) is None
        assert count(QuizAttempt) == 0 and count(LessonProgress) == 0
        assert count(Activity) == 0  # the activity log leaves the figures too
        event = db.session.scalars(select(AuditEvent)).one()
        assert (event.action, event.subject_label, event.subject_id) == ("suppression", "Anonyme", None)


def test_privacy_administration_is_for_admins_only(app, client, auth):
    with app.app_context():
        amina_id = user("amina").id
    auth.login("animatrice", "animatrice-demo")
    assert client.get("/animation/confidentialite").status_code == 403
    page = client.get("/animation/").get_data(as_text=True)
    assert client.post(f"/animation/confidentialite/{amina_id}/supprimer", data={"csrf_token": csrf_token(page)}).status_code == 403
    with app.app_context():
        assert db.session.get(User, amina_id) is not None


def test_purge_anonymises_only_accounts_inactive_for_long(app):
    with_attempt(app, "josiane")
    with app.app_context():
        long_ago = utcnow() - timedelta(days=400)
        amina = user("amina")
        amina_id = amina.id
        amina.created_at = long_ago
        josiane = user("josiane")
        josiane.created_at = long_ago
        db.session.execute(db.update(LessonProgress).values(last_seen_at=utcnow() - timedelta(days=10)))
        db.session.commit()
        staff_before = user("animatrice").username

    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--months", "12"])
    assert result.exit_code == 0, result.output
    assert "1 anonymisé(s)" in result.output and "anonymisé : Amina (amina)" in result.output
    with app.app_context():
        assert db.session.scalar(select(User.first_name).filter_by(id=amina_id)) == "Anonyme"
        assert user("josiane").anonymised_at is None  # a recent lesson visit keeps her
        assert user("animatrice").username == staff_before  # staff accounts are not purged
    again = app.test_cli_runner().invoke(args=["privacy", "purge", "--months", "12"])
    assert "0 anonymisé(s)" in again.output


def test_facilitator_views_of_learner_data_are_in_the_admin_audit_log(app, client, auth):
    with app.app_context():
        amina_id = user("amina").id
    auth.login("animatrice", "animatrice-demo")
    assert client.get(f"/animation/participants/{amina_id}").status_code == 200
    assert client.get(f"/animation/participants/{amina_id}/attestation").status_code == 200
    assert client.get("/animation/groupes/1").status_code == 200
    with client.get("/animation/groupes/1/export.csv") as export:
        assert export.status_code == 200
    assert client.get("/animation/participants/999").status_code == 404
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.subject_label, e.detail) for e in events] == [
            ("Amina", "fiche du participant"),
            ("Amina", "attestation de suivi"),
            ("groupe Groupe démo", "tableau de progression"),
            ("groupe Groupe démo", "export CSV de la progression"),
        ]
        assert {e.actor_id for e in events} == {user("animatrice").id}
    auth.logout()
    auth.login("admin", "admin-demo")
    log = client.get("/animation/confidentialite").get_data(as_text=True)
    assert "Nadia (animatrice)" in log and "fiche du participant" in log and "export CSV de la progression" in log
