"""The ladder in the funders' report, checked against a hand count over several weeks; a cell
that stands for fewer than 5 people says « moins de 5 »."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from sqlalchemy import select

from app import progress
from app.extensions import db
from app.models import AutonomyLevel, User
from app.reports import autonomy_for_report
from app.rules import REPORT_MIN_PEOPLE
from tests.conftest import csrf_token
from tests.facilitate_helpers import PASSWORD, make_group, make_learner

SEND, PHOTO = "demo-envoyer-message", "demo-prendre-photo"
FOR_ME, WITH_ME, EXERCISE, FOR_REAL = AutonomyLevel
BELOW = "moins de 5"


def test_the_threshold_is_the_rule_s():
    assert REPORT_MIN_PEOPLE == 5 and BELOW == f"moins de {REPORT_MIN_PEOPLE}"


def build() -> tuple[int, list[int]]:
    """Seven learners of one group, steps over November 2026 (the period: 9 to 22 November)."""
    group = make_group("Ateliers du mardi", facilitators=["bruno"])
    ids = [make_learner(f"personne{n}", group, created_at=datetime(2026, 11, 1)) for n in range(1, 8)]
    bruno = db.session.scalar(select(User).filter_by(username="bruno"))

    def step(person: int, procedure: str, level: AutonomyLevel, day: int, by=bruno):
        progress.record_autonomy(ids[person], procedure, level, by, at=datetime(2026, 11, day, 10, 0))

    # Before the period: persons 0-4 « fait avec moi » on SEND (5 people), person 5 « fait pour moi ».
    for person in range(5):
        step(person, SEND, WITH_ME, 3)
    step(5, SEND, FOR_ME, 4)
    # In the period, on SEND: 0-3 finish the exercise (4 climbs), 0 and 1 then do it for real (2 climbs),
    # 5 climbs to « fait avec moi » (1 climb); 4 gets « fait pour moi » noted late: no climb.
    for person in range(4):
        step(person, SEND, EXERCISE, 10, by=None)
    for person in (0, 1):
        step(person, SEND, FOR_REAL, 20)
    step(5, SEND, WITH_ME, 12)
    step(4, SEND, FOR_ME, 15)
    # After the period: not counted.
    step(6, SEND, WITH_ME, 25)
    # PHOTO: persons 0-5 « fait avec moi » in the period (6 climbs).
    for person in range(6):
        step(person, PHOTO, WITH_ME, 17)
    return group, ids


def test_people_at_each_rung_and_steps_climbed_match_the_hand_count(app):
    with app.test_request_context():
        _group, ids = build()
        report = autonomy_for_report(ids, date(2026, 11, 9), date(2026, 11, 22))
    send, photo = report.procedures
    assert (send.procedure_id, photo.procedure_id) == (SEND, PHOTO)
    # SEND at the end of the period: for real 0, 1; exercise 2, 3; with me 4, 5; for me nobody (6 comes later).
    assert send.at_level == {FOR_ME: BELOW, WITH_ME: BELOW, EXERCISE: BELOW, FOR_REAL: BELOW}
    # 4 + 2 + 1 = 7 steps climbed, by 5 people (0, 1, 2, 3, 5).
    assert (send.steps_climbed, send.people_climbing) == (7, 5)
    assert photo.at_level == {FOR_ME: BELOW, WITH_ME: 6, EXERCISE: BELOW, FOR_REAL: BELOW}
    assert (photo.steps_climbed, photo.people_climbing) == (6, 6)
    # At least this rung on at least one procedure: 6 people (0-5) reached « fait pour moi » or above…
    assert report.people_reaching == {FOR_ME: 6, WITH_ME: 6, EXERCISE: BELOW, FOR_REAL: BELOW}
    assert (report.steps_climbed, report.people_climbing) == (13, 6)


def test_a_small_group_shows_no_figure(app):
    with app.test_request_context():
        _group, ids = build()
        report = autonomy_for_report(ids[:4], date(2026, 11, 9), date(2026, 11, 22))
    assert report.steps_climbed == BELOW and report.people_climbing == BELOW
    assert set(report.people_reaching.values()) == {BELOW}
    assert {f for p in report.procedures for f in (*p.at_level.values(), p.steps_climbed)} == {BELOW}


def test_the_report_page_and_its_csv_have_the_ladder_section(app, client):
    with app.test_request_context():
        group, _ids = build()
    page = client.get("/connexion").get_data(as_text=True)
    client.post("/connexion", data={"csrf_token": csrf_token(page), "username": "bruno", "password": PASSWORD})
    query = f"start=2026-11-09&end=2026-11-22&groups={group}"
    html = client.get(f"/animation/rapport?{query}").get_data(as_text=True)
    section = html.split('aria-labelledby="autonomie"')[1].split("</section>")[0]
    assert "Autonomie sur les démarches réelles" in section and "Envoyer un message depuis son téléphone" in section
    assert "<td>7</td>" in section and BELOW in section
    text = client.get(f"/animation/rapport.csv?{query}").get_data(as_text=True)
    rows = {(r[0], r[1]): r[2] for r in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    assert rows[("Marches gravies dans la période (autonomie)", "")] == "13"
    assert rows[("Marches gravies dans la période (autonomie)", "Envoyer un message depuis son téléphone")] == "7"
    assert rows[("Personnes au niveau « fait avec moi » en fin de période", "Prendre une photo d'un document")] == "6"
    assert rows[("Personnes ayant atteint « fait seule pour de vrai » sur au moins une démarche", "")] == BELOW
    assert rows[("Participants inscrits", "")] == "7"  # the report's own rows come first, untouched
