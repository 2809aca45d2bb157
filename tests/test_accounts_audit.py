"""Names checked once for every field, group names unique in any case, staff accounts with a life
cycle, and every staff change in the audit log (paged, exported, shown to the person)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app import audit, names
from app.extensions import db
from app.facilitate import accounts
from app.models import AuditEvent, Group, User
from tests.conftest import csrf_token
from tests.facilitate_helpers import login, shown_password, token_from, user_id

AMINA = 3


@pytest.mark.parametrize("typed", ["Ami\u200bna", "Amina\u202e", "\u2066Amina", "Ami\u00adna", "Amina\u2028B"])
def test_invisible_and_bidirectional_characters_are_refused(typed):
    with pytest.raises(names.RefusedName):
        names.parse_name(typed)


def test_names_are_nfkc_normalised():
    assert names.parse_name("Ａｍｉｎａ") == ("Amina", "")
    assert names.name_key("Équipe Été") == names.name_key("équipe été") == names.name_key("ÉQUIPE  ÉTÉ")
    assert names.name_key("E\u0301quipe") == names.name_key("Équipe")  # decomposed accent


def test_an_unsniffable_upload_leaves_the_csv_module_as_it_was():
    before = csv.excel.delimiter
    names.parse_csv_names("Amina;Diallo;x,y\nÉloïse".encode())
    names.parse_csv_names(b"\"unterminated")
    assert csv.excel.delimiter == before == ","


def test_a_very_long_csv_cell_is_a_line_error():
    entries, errors = names.parse_csv_names(("Amina;" + "x" * 200_000 + "\n").encode())
    assert errors and all(len(e.text) <= 200 for e in errors)


@pytest.mark.parametrize("second", ["Équipe Été", "équipe été", "ÉQUIPE ÉTÉ", "Ｅquipe Été".replace("Ｅ", "É")])
def test_a_group_name_taken_in_any_case_is_a_form_error(app, client, second):
    login(client, "admin", "admin-demo")
    token = token_from(client, "/animation/admin")
    assert client.post("/animation/admin/groupes", data={"csrf_token": token, "group-name": "Équipe Été"}).status_code == 302
    response = client.post("/animation/admin/groupes", data={"csrf_token": token, "group-name": second})
    assert response.status_code == 422 and "Un groupe porte déjà ce nom." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Group)) == 2


def test_a_conflicting_write_is_not_reported_as_an_outage(app, client):
    """The unique key caught at the last moment (another admin, the same instant): a form error."""
    login(client, "admin", "admin-demo")
    token = token_from(client, "/animation/admin")
    with app.app_context():
        db.session.add(Group(name="Autre nom", name_key="mardi"))  # as if written meanwhile
        db.session.commit()
    response = client.post("/animation/admin/groupes", data={"csrf_token": token, "group-name": "Mardi"})
    assert response.status_code == 422 and "Un groupe porte déjà ce nom." in response.get_data(as_text=True)


def test_an_admin_runs_a_facilitators_account_and_it_is_all_in_the_log(app, client):
    login(client, "admin", "admin-demo")
    token = token_from(client, "/animation/admin")
    karima_page = client.post(
        "/animation/admin/animateurs", data={"csrf_token": token, "facilitator-username": "karima", "facilitator-first_name": "Karima"}
    )
    assert karima_page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        karima = user_id("karima")
    karima_client = app.test_client()
    page = client.post(f"/animation/participants/{karima}/mot-de-passe", data={"csrf_token": token, "confirmed": "1"}).get_data(as_text=True)
    password = shown_password(page)
    login(karima_client, "karima", password)
    assert karima_client.get("/animation/").status_code == 200
    assert client.post(f"/animation/participants/{karima}/deconnexion", data={"csrf_token": token}).status_code == 302
    assert karima_client.get("/animation/").status_code == 302  # signed out everywhere
    assert client.post(f"/animation/participants/{karima}/statut", data={"csrf_token": token, "active": "0", "confirmed": "1"}).status_code == 302
    assert "désactivé" in client.get("/animation/admin").get_data(as_text=True)
    # A facilitator cannot do this to another facilitator, nor an admin to themself.
    animatrice = app.test_client()
    login(animatrice, "animatrice", "animatrice-demo")
    assert animatrice.post(f"/animation/participants/{karima}/statut", data={"csrf_token": token_from(animatrice, "/animation/"), "active": "1"}).status_code == 404
    with app.app_context():
        admin_id = user_id("admin")
    assert client.post(f"/animation/participants/{admin_id}/statut", data={"csrf_token": token, "active": "0"}).status_code == 404
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == karima).order_by(AuditEvent.id))]
    assert actions == [audit.CREATED, audit.PASSWORD_RESET, audit.SIGNED_OUT, audit.DEACTIVATED]


def test_an_admin_acts_on_a_facilitators_deletion_request(app, client):
    with app.app_context():
        animatrice = user_id("animatrice")
        db.session.execute(update(User).where(User.id == animatrice).values(deletion_requested_at=func.now()))
        db.session.commit()
    login(client, "admin", "admin-demo")
    page = client.get("/animation/confidentialite").get_data(as_text=True)
    assert f"/animation/confidentialite/{animatrice}/anonymiser" in page
    assert client.post(f"/animation/confidentialite/{animatrice}/anonymiser", data={"csrf_token": csrf_token(page)}).status_code == 302
    with app.app_context():
        assert db.session.get(User, animatrice).anonymised_at is not None


def test_staff_changes_are_logged_and_the_participant_sees_them(app, client, auth):
    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    token = token_from(staff, "/animation/")
    staff.get(f"/animation/participants/{AMINA}")
    staff.post("/animation/groupes/1/cartes", data={"csrf_token": token, "learners": [AMINA], "passwords": "keep", "picture_codes": "keep", "confirmed": "1"})
    staff.post(f"/animation/participants/{AMINA}/carte/revoquer", data={"csrf_token": token, "confirmed": "1"})
    staff.post(f"/animation/participants/{AMINA}/attente", data={"csrf_token": token})
    staff.post(f"/animation/participants/{AMINA}/statut", data={"csrf_token": token, "active": "0", "confirmed": "1"})
    staff.post(f"/animation/participants/{AMINA}/statut", data={"csrf_token": token, "active": "1"})
    staff.post("/animation/groupes/1/participants/nouveau", data={"csrf_token": token, "first_name": "Zoé"})
    staff.post("/animation/groupes/1/import", data={"csrf_token": token, "names": "Fatou\nKevin"})
    with app.app_context():
        actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {audit.VIEWED, audit.CARD_PRINTED, audit.CARD_REVOKED, audit.LOCK_LIFTED, audit.DEACTIVATED,
            audit.REACTIVATED, audit.CREATED, audit.IMPORTED} <= actions
    auth.login()
    page = client.get("/mes-donnees").get_data(as_text=True)
    assert "Nadia (animatrice) : carte arrêtée." in page and "Nadia (animatrice) : consultation." in page
    exported = client.get("/mes-donnees/mes-donnees.json").get_json()["consultations et changements par l'équipe"]
    assert {"qui": "Nadia (animatrice)", "action": audit.CARD_REVOKED} in [{k: e[k] for k in ("qui", "action")} for e in exported]


def test_the_audit_page_is_paged_and_exported_for_a_spreadsheet(app, client):
    with app.app_context():
        amina = db.session.get(User, AMINA)
        for number in range(audit.PAGE_SIZE + 5):
            audit.record(None, amina, audit.VIEWED, detail=f"=HYPERLINK(\"x\") {number}")
        db.session.commit()
    login(client, "admin", "admin-demo")
    first = client.get("/animation/confidentialite").get_data(as_text=True)
    assert first.count("<tr>") == audit.PAGE_SIZE + 1 and "?page=2" in first
    second = client.get("/animation/confidentialite?page=2").get_data(as_text=True)
    assert "?page=2" not in second and "HYPERLINK" in second
    for wrong in ("0", "-1", "١٢", "１２", "9" * 40, "abc"):
        assert client.get(f"/animation/confidentialite?page={wrong}").status_code == 200  # the first page
    export = client.get("/animation/confidentialite/journal.csv")
    text = export.get_data(as_text=True)
    assert export.headers["Cache-Control"] == "no-store" and text.startswith("\ufeffDate;Qui;Action")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == audit.PAGE_SIZE + 6 and all(not row[4].startswith("=") for row in rows[1:])


def test_audit_lines_past_their_retention_are_purged(app):
    with app.app_context():
        amina = db.session.get(User, AMINA)
        audit.record(None, amina, audit.VIEWED)
        audit.record(None, amina, audit.VIEWED, detail="ancienne")
        db.session.commit()
        db.session.execute(update(AuditEvent).where(AuditEvent.detail == "ancienne").values(at=AuditEvent.at - timedelta(days=800)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "1 ligne(s) de plus de 24 mois" in result.output
    with app.app_context():
        assert [e.detail for e in db.session.scalars(select(AuditEvent))] == [""]


def test_a_person_repeating_writes_is_stopped_whatever_their_address(make_app):
    app = make_app(WRITE_RATE_LIMIT="3 per minute")
    from app.cli import create_demo_accounts

    with app.app_context():
        create_demo_accounts()
    amina, josiane = app.test_client(), app.test_client()
    login(amina, "amina", "amina-demo")
    login(josiane, "josiane", "josiane-demo")
    statuses = []
    for number in range(4):
        token = token_from(amina, "/lecons/demo-premiers-pas")
        statuses.append(amina.post("/lecons/demo-premiers-pas/aide", data={"csrf_token": token, "message": "?"},
                                   environ_base={"REMOTE_ADDR": f"10.2.0.{number}"}).status_code)
    assert statuses == [302, 302, 302, 429]
    token = token_from(josiane, "/lecons/demo-premiers-pas")
    assert josiane.post("/lecons/demo-premiers-pas/aide", data={"csrf_token": token}).status_code == 302  # her own count


def test_my_data_shows_the_times_in_paris(app, client, auth):
    from datetime import datetime

    with app.app_context():
        db.session.add(AuditEvent(at=datetime(2026, 1, 15, 23, 30), actor_id=user_id("animatrice"), subject_id=AMINA,
                                  subject_label="Amina", action=audit.VIEWED, detail="fiche"))
        db.session.add(AuditEvent(at=datetime(2026, 7, 15, 8, 5), actor_id=None, subject_id=AMINA,
                                  subject_label="Amina", action=audit.PASSWORD_RESET))
        db.session.commit()
    auth.login()
    page = client.get("/mes-donnees").get_data(as_text=True)
    # Dates in words, as everywhere a participant reads them.
    assert "Le 16 janvier 2026 à 0\u00a0h\u00a030, Nadia (animatrice) : consultation." in page  # winter: UTC+1, the next day
    assert "Le 15 juillet 2026 à 10\u00a0h\u00a005, système : nouveau mot de passe." in page  # summer: UTC+2


def test_the_import_is_done_before_its_page_is_sent(app, client):
    login(client, "animatrice", "animatrice-demo")
    response = client.post("/animation/groupes/1/import",
                           data={"csrf_token": token_from(client, "/animation/groupes/1/import"), "names": "Fatou\nKevin"})
    assert response.status_code == 200
    response.close()  # the page is never read: the accounts exist all the same
    with app.app_context():
        assert {"fatou", "kevin"} <= set(db.session.scalars(select(User.username)))


def test_the_same_group_name_written_at_the_same_moment_is_still_a_form_error(app, client, monkeypatch):
    """Both admins passed the check before either committed: the unique key decides."""
    from app.facilitate import groups

    login(client, "admin", "admin-demo")
    token = token_from(client, "/animation/admin")
    monkeypatch.setattr(groups, "_checked", lambda name, except_id=None: (name, names.name_key(name)))
    response = client.post("/animation/admin/groupes", data={"csrf_token": token, "group-name": "groupe DÉMO"})
    assert response.status_code == 422 and "Un groupe porte déjà ce nom." in response.get_data(as_text=True)


def test_anonymising_empties_the_sqlite_write_ahead_log(make_app):
    import os

    app = make_app()
    from app.cli import create_demo_accounts
    from app.privacy import services as privacy

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        create_demo_accounts()
        wal = db.engine.url.database + "-wal"
        privacy.anonymise(db.session.get(User, AMINA))
        assert os.path.getsize(wal) == 0


def test_a_call_back_that_answers_a_help_request_is_in_the_log(app, client):
    from app import progress
    from app.lesson_library import get_library

    with app.app_context():
        progress.request_help(AMINA, get_library().lesson("demo-premiers-pas").id, "")
    login(client, "animatrice", "animatrice-demo")
    client.post(f"/animation/participants/{AMINA}/rappel", data={"csrf_token": token_from(client, "/animation/"), "note": "Rappelée."})
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == audit.CALLED_BACK)).all() == [audit.CALLED_BACK]
        assert progress.open_help_request(AMINA, "demo-premiers-pas") is None


def test_any_other_conflicting_write_is_a_french_409_not_an_outage(app, client, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    def conflict(*_args, **_kwargs):
        raise IntegrityError("UPDATE user", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(accounts, "sign_out_everywhere", conflict)
    login(client, "animatrice", "animatrice-demo")
    response = client.post(f"/animation/participants/{AMINA}/deconnexion", data={"csrf_token": token_from(client, "/animation/")})
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "Modification impossible" in text and "Rechargez la page" in text
    assert client.get("/animation/").status_code == 200  # the session goes on
