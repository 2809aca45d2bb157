"""Workshops, who came, participant categories, and the report funders read, by hand-count."""

from __future__ import annotations

import csv
import html as html_module
import io
import re
from datetime import date, datetime

from sqlalchemy import func, select

from app import reports
from app.cli import create_demo_workshops
from app.extensions import db
from app.facilitate import workshops
from app.lesson_library import get_library
from app.models import (
    AuditEvent,
    CategoryConsent,
    Group,
    ParticipantCategory,
    User,
    Workshop,
    WorkshopAttendance,
    utcnow,
)
from app.privacy.services import anonymise
from app.reports.figures import Figure, people
from app.timezone import local_day
from tests.facilitate_helpers import answer, finish, login, make_group, make_learner, token_from, user_id, visit

D = datetime


def _workshop(group_id, module_id, day, minutes, usernames, place=""):
    group = db.session.get(Group, group_id)
    actor = db.session.scalar(select(User).filter_by(username="admin"))
    return workshops.save_workshop(
        None,
        group,
        module_id=module_id,
        module_title=module_id,
        day_held=day,
        minutes=minutes,
        place=place,
        attendee_ids=[user_id(name) for name in usernames],
        actor=actor,
    ).id


def _consent(username, label):
    category = db.session.scalar(select(ParticipantCategory).filter_by(label=label)) or workshops.create_category(label)
    admin = db.session.scalar(select(User).filter_by(username="admin"))
    workshops.record_category(db.session.get(User, user_id(username)), category, True, admin)


def build_weeks(app) -> tuple[int, int]:
    """Four weeks, Monday 2 to Sunday 29 March 2026 (Paris is UTC+1 then): workshops and time at home."""
    library = get_library()
    first, no_quiz, bonus = (library.lesson(i) for i in ("demo-premiers-pas", "demo-sans-quiz", "demo-bonus"))
    reading = library.lesson("demo-suite-lecture")
    g1 = make_group("Groupe du mardi", facilitators=["bruno"])
    g2 = make_group("Groupe du vendredi", facilitators=["claire"])
    for name in ("ana", "ben", "chloe", "dina", "emma", "fanny"):
        make_learner(name, g1, created_at=D(2026, 1, 5))
    make_learner("gaby", g1, created_at=D(2026, 4, 5))  # enrolled after the period
    make_learner("hugo", g2, created_at=D(2026, 1, 5))  # another group: never counted
    _workshop(g1, "demo", date(2026, 2, 24), 60, ["ana"])  # before the period
    _workshop(g1, "demo", date(2026, 3, 2), 120, ["ana", "ben", "chloe", "dina", "emma"])
    _workshop(g1, "demo", date(2026, 3, 9), 120, ["ana", "ben", "chloe", "dina", "emma", "fanny"])
    _workshop(g1, "demo-suite", date(2026, 3, 16), 90, ["ana", "ben", "chloe"])
    _workshop(g1, "demo-suite", date(2026, 3, 23), 180, ["ana", "ben", "chloe", "dina", "fanny"], place="Centre social")
    _workshop(g1, "demo", date(2026, 3, 30), 120, ["ana"])  # after the period
    _workshop(g2, "demo", date(2026, 3, 2), 120, ["hugo"])
    a, b, c, d, e, h = (user_id(n) for n in ("ana", "ben", "chloe", "dina", "emma", "hugo"))
    visit(a, first.id, D(2026, 3, 3, 9))
    answer(a, first, D(2026, 3, 3, 9, 2))  # 120 s, a first try passed: done
    visit(a, no_quiz.id, D(2026, 3, 3, 9, 10))
    finish(a, no_quiz, D(2026, 3, 3, 9, 15))  # 300 s: done
    visit(a, bonus.id, D(2026, 3, 17, 10))
    answer(a, bonus, D(2026, 3, 17, 10, 1))  # 60 s, first try passed: the module "demo" is done
    visit(b, first.id, D(2026, 3, 4, 10))
    answer(b, first, D(2026, 3, 4, 10, 1, 40), right=False)  # 100 s, a first try failed
    visit(b, first.id, D(2026, 3, 11, 10))
    answer(b, first, D(2026, 3, 11, 10, 1, 20))  # 80 s: done
    visit(c, reading.id, D(2026, 3, 5, 10))
    finish(c, reading, D(2026, 3, 5, 10, 3, 20))  # 200 s: done, and the one-lesson module "demo-suite"
    visit(d, first.id, D(2026, 3, 12, 10))
    answer(d, first, D(2026, 3, 12, 10, 1))  # 60 s, a first try passed: done
    visit(e, no_quiz.id, D(2026, 3, 19, 10))
    finish(e, no_quiz, D(2026, 3, 19, 10, 4))  # 240 s: done
    visit(h, no_quiz.id, D(2026, 3, 4, 9))
    finish(h, no_quiz, D(2026, 3, 4, 9, 15))
    for name in ("ana", "ben", "chloe", "dina", "emma", "hugo", "gaby"):
        _consent(name, "parent seul")
    _consent("fanny", "senior")
    return g1, g2


def test_the_small_numbers_rule():
    """Below REPORT_MIN_PEOPLE people, zero included, a figure about people is hidden; a figure
    about the offer (people=None) never is."""
    assert [people(n).hidden for n in (0, 1, 4, 5, 12)] == [True, True, True, False, False]
    assert Figure(37.5, 4).hidden and not Figure(37.5, 5).hidden
    assert not Figure(0).hidden and not Figure(3).hidden


def test_every_figure_of_the_report_against_a_hand_count(app):
    with app.test_request_context():
        g1, _g2 = build_weeks(app)
        report = reports.impact_report([g1], date(2026, 3, 2), date(2026, 3, 29), get_library())
        cells = {
            (s.key, r.indicator, r.theme): (r.figure.value, r.text, r.kind) for s in report.sections for r in s.rows
        }
    demo, suite, practice = "Découvrir Pas à pas", "Aller plus loin", "Faire les gestes"
    collective, autonomous = "Collectif (atelier)", "En autonomie (à distance)"
    hidden = "moins de 5"
    expected = {
        ("people", "Participants inscrits", ""): (6, "6", ""),  # ana to fanny; gaby came after
        ("people", "Participants actifs", ""): (5, "5", ""),  # fanny only came to workshops
        ("people", "Groupes", ""): (1, "1", ""),
        # 2, 9, 16 and 23 March: 120 + 120 + 90 + 180 minutes.
        ("workshops", "Ateliers", ""): (4, "4", collective),
        ("workshops", "Heures d'atelier proposées", ""): (8.5, "8,5", collective),
        ("workshops", "Nombre de participants", ""): (6, "6", collective),
        ("workshops", "Présences", ""): (19, "19", collective),  # 5 + 6 + 3 + 5
        ("workshops", "Heures de présence en atelier", ""): (41.5, "41,5", collective),  # 600 + 720 + 270 + 900 min
        ("workshops", "Ateliers", demo): (2, "2", collective),
        ("workshops", "Heures d'atelier proposées", demo): (4.0, "4", collective),
        ("workshops", "Nombre de participants", demo): (6, "6", collective),
        ("workshops", "Présences", demo): (11, "11", collective),
        ("workshops", "Heures de présence en atelier", demo): (22.0, "22", collective),
        ("workshops", "Ateliers", suite): (2, "2", collective),
        ("workshops", "Heures d'atelier proposées", suite): (4.5, "4,5", collective),
        ("workshops", "Nombre de participants", suite): (5, "5", collective),  # ana, ben, chloe, dina, fanny
        ("workshops", "Présences", suite): (8, "8", collective),
        ("workshops", "Heures de présence en atelier", suite): (19.5, "19,5", collective),
        # ana 480, ben 180, chloe 200, dina 60, emma 240: 1 160 s.
        ("home", "Heures sur la plateforme", ""): (0.3, "0,3", autonomous),
        ("home", "Participants ayant appris sur la plateforme", ""): (5, "5", autonomous),
        ("home", "Participants actifs dans la semaine du 02/03/2026", ""): (3, hidden, autonomous),  # ana, ben, chloe
        ("home", "Participants actifs dans la semaine du 09/03/2026", ""): (2, hidden, autonomous),  # ben, dina
        ("home", "Participants actifs dans la semaine du 16/03/2026", ""): (2, hidden, autonomous),  # ana, emma
        ("home", "Participants actifs dans la semaine du 23/03/2026", ""): (0, hidden, autonomous),
        ("lessons", "Leçons terminées", ""): (7, "7", ""),  # ana 3, ben, chloe, dina, emma 1 each
        ("lessons", "Modules terminés", ""): (2, hidden, ""),  # ana "demo", chloe "demo-suite"
        ("lessons", "Premières tentatives de quiz", ""): (4, hidden, ""),  # ana twice, ben, dina: 3 people
        ("lessons", "Quiz réussis du premier coup", ""): (3, hidden, ""),
        ("lessons", "Leçons terminées", demo): (6, hidden, ""),  # ana 3, ben, dina, emma: 4 people
        ("lessons", "Modules terminés", demo): (1, hidden, ""),
        ("lessons", "Leçons terminées", suite): (1, hidden, ""),
        ("lessons", "Modules terminés", suite): (1, hidden, ""),
        ("lessons", "Leçons terminées", practice): (0, hidden, ""),
        ("lessons", "Modules terminés", practice): (0, hidden, ""),
        # Hugo is in another group, gaby enrolled after the period.
        ("categories", "Participants : parent seul", ""): (5, "5", ""),
        ("categories", "Participants : senior", ""): (1, hidden, ""),
        # Nobody practised an exercise nor climbed a rung of the ladder in this story.
        ("exercises", "Exercices pratiques terminés", ""): (0, hidden, autonomous),
        ("exercises", "Exercices terminés sans « Montrez-moi »", ""): (0, hidden, autonomous),
        ("exercises", "Participants ayant terminé un exercice", ""): (0, hidden, autonomous),
        ("autonomy", "Marches gravies dans la période", ""): (0, hidden, ""),
        ("autonomy", "Personnes ayant gravi au moins une marche", ""): (0, hidden, ""),
    }
    procedures = ("Envoyer un message depuis son téléphone", "Prendre une photo d'un document")
    for level in ("fait pour moi", "fait avec moi", "fait seule en exercice", "fait seule pour de vrai"):
        expected[("autonomy", f"Personnes ayant atteint « {level} » sur au moins une démarche", "")] = (0, hidden, "")
        for title in procedures:
            expected[("autonomy", f"Personnes au niveau « {level} » en fin de période", title)] = (0, hidden, "")
    for title in procedures:
        expected[("autonomy", "Marches gravies dans la période", title)] = (0, hidden, "")
    # Nobody said « Je sais … » either: the demo module's three statements, all at zero.
    expected[("self_assessment", "Participants ayant répondu au début et à la fin", demo)] = (0, hidden, "")
    for statement in ("Je sais ouvrir une leçon.", "Je sais répondre à un quiz.", "Je sais écouter une leçon."):
        for move in ("ont progressé", "sans changement", "ont reculé"):
            expected[("self_assessment", f"« {statement} » : {move}", demo)] = (0, hidden, "")
        for words in ("Oui", "Un peu", "Pas encore"):
            expected[("self_assessment", f"« {statement} » : « {words} » au début", demo)] = (0, hidden, "")
            expected[("self_assessment", f"« {statement} » : « {words} » à la fin", demo)] = (0, hidden, "")
    assert cells == expected


def test_the_report_page_prints_and_its_csv_never_names_anyone(app, client):
    with app.test_request_context():
        g1, _g2 = build_weeks(app)
    login(client, "bruno")
    query = f"start=2026-03-02&end=2026-03-29&groups={g1}"
    html = page_text(client.get(f"/animation/rapport?{query}"))
    for title in (
        "Participants et groupes",
        "Ateliers",
        "À la maison, sur la plateforme",
        "Leçons et modules",
        "Par catégorie (avec l'accord des personnes)",
    ):
        assert f">{title}</h3>" in html, title
    assert "moins de 5" in html and "41,5" in html
    text = client.get(f"/animation/rapport.csv?{query}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Rubrique", "Indicateur", "Type d'accompagnement", "Thématique", "Valeur"]
    assert ["Ateliers", "Nombre de participants", "Collectif (atelier)", "", "6"] in rows
    for name in ("Ana", "Ben", "Fanny", "ana", "fanny"):
        assert not re.search(rf"\b{name}\b", text), name
    # The group's per-person export lists no category either.
    people_csv = client.get(f"/animation/groupes/{g1}/participants.csv").get_data(as_text=True)
    assert "parent seul" not in people_csv and "senior" not in people_csv


def page_text(response) -> str:
    """What the page says, its entities read (« l'atelier » whichever way it is escaped)."""
    return html_module.unescape(response.get_data(as_text=True))


def _form_page(client, url):
    html = client.get(url).get_data(as_text=True)
    return html, re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_a_facilitator_records_a_workshop_and_ticks_who_came(app, client):
    with app.app_context():
        g1 = make_group("Groupe du mardi", facilitators=["bruno"])
        make_group("Groupe du vendredi", facilitators=["claire"])
        ids = [make_learner(f"p{n}", g1, first_name=f"Personne{n}") for n in range(1, 13)]
    login(client, "bruno")
    url = f"/animation/groupes/{g1}/ateliers/nouveau"
    html, token = _form_page(client, url)
    # Today by default, nobody ticked, the twelve members as boxes.
    with app.app_context():
        assert f'value="{local_day(utcnow()).isoformat()}"' in html
    assert html.count('type="checkbox"') == 12 and " checked" not in html
    # A mistake keeps what was typed, with a French message.
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "day": "2026-03-02",
            "module": "demo-suite",
            "minutes": "90",
            "place": "Salle 2",
            "attendees": [],
        },
    )
    html = page_text(response)
    assert response.status_code == 422 and "Cochez les personnes venues à l'atelier." in html
    assert 'value="Salle 2"' in html and '<option selected value="demo-suite">' in html
    assert '<input checked id="minutes-1" name="minutes" required type="radio" value="90">' in html
    response = client.post(
        url,
        data={"csrf_token": token, "day": "02/03/2026x", "module": "demo", "minutes": "90", "attendees": [str(ids[0])]},
    )
    assert response.status_code == 422 and "Écrivez la date de l'atelier (jj/mm/aaaa)." in page_text(response)
    # « Tout le monde était là » ticks every box and saves nothing.
    response = client.post(
        url, data={"csrf_token": token, "day": "2026-03-02", "module": "demo", "minutes": "120", "tout_le_monde": "1"}
    )
    assert page_text(response).count(" checked") == 12 + 1  # the twelve, and the length
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "day": "2026-03-02",
            "module": "demo",
            "minutes": "120",
            "place": "Centre social",
            "attendees": [str(i) for i in ids[:11]],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        workshop = db.session.scalar(select(Workshop))
        assert (workshop.day, workshop.module_id, workshop.minutes, workshop.place) == (
            date(2026, 3, 2),
            "demo",
            120,
            "Centre social",
        )
        assert sorted(workshops.attendee_ids(workshop.id)) == ids[:11]
        line = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "atelier noté"))
        assert line.subject_label == "groupe Groupe du mardi" and "11 présents" in line.detail
        workshop_id = workshop.id
    # Edit: the page shows who came; one more ticked.
    html, token = _form_page(client, f"/animation/ateliers/{workshop_id}")
    assert html.count(" checked") == 11 + 1
    client.post(
        f"/animation/ateliers/{workshop_id}",
        data={
            "csrf_token": token,
            "day": "2026-03-03",
            "module": "demo",
            "minutes": "90",
            "attendees": [str(i) for i in ids],
        },
    )
    with app.app_context():
        assert len(workshops.attendee_ids(workshop_id)) == 12 and db.session.get(Workshop, workshop_id).minutes == 90
    # Someone of another group cannot be ticked in.
    with app.app_context():
        stranger = make_learner("zoe", make_group("Groupe du jeudi"))
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "day": "2026-03-02",
            "module": "demo",
            "minutes": "60",
            "attendees": [str(stranger)],
        },
    )
    assert response.status_code == 422
    # Another facilitator's group: 404, for the list, the form and the workshop.
    claire = app.test_client()
    login(claire, "claire")
    assert claire.get(url).status_code == 404
    assert claire.get(f"/animation/groupes/{g1}/ateliers").status_code == 404
    assert claire.get(f"/animation/ateliers/{workshop_id}").status_code == 404
    # Delete: a confirmation first, then gone (and the attendance with it).
    token = token_from(client, f"/animation/ateliers/{workshop_id}")
    page = client.post(f"/animation/ateliers/{workshop_id}/supprimer", data={"csrf_token": token})
    assert page.status_code == 200 and "Supprimer l'atelier du 3 mars 2026 ?" in page_text(page)
    with app.app_context():
        assert db.session.get(Workshop, workshop_id) is not None
    client.post(f"/animation/ateliers/{workshop_id}/supprimer", data={"csrf_token": token, "confirmed": "1"})
    with app.app_context():
        assert db.session.get(Workshop, workshop_id) is None
        assert db.session.scalar(select(func.count()).select_from(WorkshopAttendance)) == 0
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "atelier supprimé")
            )
            == 1
        )


def test_hours_in_workshops_and_at_home_are_counted_apart(app, client):
    """The learner's page, the attestation, and « Mon parcours » where she sees her workshops."""
    with app.test_request_context():
        library = get_library()
        amina = db.session.scalar(select(User).filter_by(username="amina"))
        _workshop(amina.group_id, "demo", date(2026, 11, 2), 150, ["amina"], place="Centre social")
        _workshop(amina.group_id, "demo-suite", date(2026, 11, 9), 90, ["amina", "josiane"])
        visit(amina.id, "demo-sans-quiz", D(2026, 11, 3, 9))
        finish(amina.id, library.lesson("demo-sans-quiz"), D(2026, 11, 3, 9, 12))  # 12 min at home
        amina_id = amina.id
    login(client, "animatrice", "animatrice-demo")
    html = client.get(f"/animation/participants/{amina_id}").get_data(as_text=True)
    assert re.search(r"Heures en atelier</dt><dd>4\xa0h</dd>", html)
    assert re.search(r"Heures à la maison \(sur la plateforme\)</dt><dd>12\xa0min</dd>", html)
    html = client.get(f"/animation/participants/{amina_id}/attestation").get_data(as_text=True)
    assert "Heures en atelier : 4\xa0h. Heures à la maison, sur la plateforme : 12\xa0min." in html
    client = app.test_client()
    login(client, "amina", "amina-demo")
    html = client.get("/parcours").get_data(as_text=True)
    section = html.split('id="mes-ateliers"', 1)[1].split("</section>", 1)[0]
    assert section.index("9 novembre 2026") < section.index("2 novembre 2026")  # the latest first
    assert "Aller plus loin" in section and "1\xa0h\xa030" in section and "2\xa0h\xa030" in section


def test_a_category_only_with_consent_shown_to_her_and_removable(app, client):
    login(client, "admin", "admin-demo")
    token = token_from(client, "/animation/admin")
    assert (
        client.post("/animation/admin/categories", data={"csrf_token": token, "category-label": "  "}).status_code
        == 422
    )
    client.post("/animation/admin/categories", data={"csrf_token": token, "category-label": "parent seul"})
    again = client.post("/animation/admin/categories", data={"csrf_token": token, "category-label": "Parent  seul"})
    assert again.status_code == 422 and "existe déjà" in page_text(again)
    with app.app_context():
        category_id = db.session.scalar(select(ParticipantCategory.id))
        amina_id = user_id("amina")
    client = app.test_client()
    login(client, "animatrice", "animatrice-demo")
    token = token_from(client, f"/animation/participants/{amina_id}")
    refused = client.post(
        f"/animation/participants/{amina_id}/categories", data={"csrf_token": token, "category": str(category_id)}
    )
    html = page_text(refused)
    assert refused.status_code == 422 and "Sans son accord, rien n'est noté." in html
    assert f'<option selected value="{category_id}">' in html  # the choice is kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CategoryConsent)) == 0
    client.post(
        f"/animation/participants/{amina_id}/categories",
        data={"csrf_token": token, "category": str(category_id), "consent": "y"},
    )
    with app.app_context():
        consent = db.session.scalar(select(CategoryConsent))
        assert consent.recorded_by_id == user_id("animatrice") and consent.consent_at is not None
    # She sees it in Mes données, with the line of the log, and removes it herself.
    client = app.test_client()
    login(client, "amina", "amina-demo")
    html = client.get("/mes-donnees").get_data(as_text=True)
    assert "Mes catégories" in html and "parent seul" in html and "catégorie notée" in html
    assert '"catégorie": "parent seul"' in client.get("/mes-donnees/mes-donnees.json").get_data(as_text=True)
    token = token_from(client, "/mes-donnees")
    assert client.post(f"/mes-donnees/categories/{category_id}/retirer", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CategoryConsent)) == 0
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "catégorie retirée")
            )
            == 1
        )
    assert client.post(f"/mes-donnees/categories/{category_id}/retirer", data={"csrf_token": token}).status_code == 404
    # Staff remove it too, from her page.
    with app.app_context():
        _consent("amina", "parent seul")
    client = app.test_client()
    login(client, "animatrice", "animatrice-demo")
    token = token_from(client, f"/animation/participants/{amina_id}")
    client.post(f"/animation/participants/{amina_id}/categories/{category_id}/retirer", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CategoryConsent)) == 0


def test_the_demo_shows_four_groups_and_180_hours_of_workshops(app):
    with app.test_request_context():
        today = date(2026, 12, 1)
        assert create_demo_workshops(today) == 60
        assert create_demo_workshops(today) == 0  # once only
        group_ids = list(db.session.scalars(select(Group.id)))
        report = reports.impact_report(group_ids, date(2026, 8, 1), today, get_library())
        assert report.figure("people", "Groupes").value == 4
        assert report.figure("workshops", "Ateliers").value == 60
        assert report.figure("workshops", "Heures d'atelier proposées").value == 180
        # Every module of the library has its workshops, in order.
        assert {r.theme for r in report.section("workshops").rows if r.theme} == {
            m.title for m in get_library().modules
        }


def test_anonymising_a_person_removes_her_categories(app):
    with app.test_request_context():
        _consent("amina", "senior")
        anonymise(db.session.get(User, user_id("amina")))
        assert db.session.scalar(select(func.count()).select_from(CategoryConsent)) == 0
        assert db.session.scalar(select(func.count()).select_from(ParticipantCategory)) == 1  # the category stays
