"""The group's CSV export: French spreadsheets, no formula injection, streamed."""

from __future__ import annotations

import csv
import io

from app.extensions import db
from app.facilitate.exports import csv_chunks, neutralise
from app.models import User
from tests.facilitate_helpers import login

NASTY = ["=HYPERLINK(\"http://exemple.invalid\";\"clic\")", "+33 6 12", "-2+3", "@SUM(A1)", "\tcach\u00e9", "\rretour"]


def test_neutralise():
    assert [neutralise(v) for v in NASTY] == ["'" + v for v in NASTY]
    assert neutralise("Amina") == "Amina" and neutralise(-3) == -3 and neutralise("") == ""


def test_chunks_are_streamed_with_a_bom_and_crlf():
    chunks = list(csv_chunks(("a", "b"), ((i, "x") for i in range(450))))
    assert len(chunks) >= 3 and chunks[0] == "\ufeffa;b\r\n"
    assert "".join(chunks).count("\r\n") == 451


def test_group_export_opens_in_a_french_spreadsheet(app, client):
    with app.app_context():
        for i, name in enumerate(NASTY):
            db.session.add(User(username=f"bad{i}", first_name=name, role="participant", group_id=1, password_hash="x"))
        db.session.commit()
    login(client, "animatrice", "animatrice-demo")
    response = client.get("/animation/groupes/1/export.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    text = raw.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n")  # every line ends with CRLF
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][:5] == ["Participant", "Identifiant", "Module", "Leçon", "État"]
    assert len(rows) == 1 + (2 + len(NASTY)) * 5  # every learner × the 5 lessons of the fixture
    names = {row[0] for row in rows[1:]}
    # A name's surrounding spaces, tabs and returns are dropped (display_name); the rest is quoted.
    assert {"'" + name for name in NASTY[:4]} | {"caché", "retour"} <= names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert ["Amina", "amina", "Découvrir Pas à pas", "Premiers pas", "à faire", "", "0", "0\u00a0min", "", "", ""] in rows


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""), delimiter=";"))


def test_exports_write_numbers_durations_and_dates_as_the_french_do_in_paris_time(app, client):
    # 19:45 UTC on 1 December is 20:45 in Paris; 1 h 20 of learning; a 4-of-5 best score.
    from datetime import datetime

    from app import progress
    from app.lesson_library import get_library
    from tests.facilitate_helpers import answer

    with app.app_context():
        lesson = get_library().lesson("demo-premiers-pas")
        amina = db.session.scalar(db.select(User.id).filter_by(username="amina"))
        opened = datetime(2026, 12, 1, 18, 25)
        progress.record_visit(amina, lesson.id, at=opened)
        for minutes in (20, 40, 60, 80):  # four quiz sends, 20 minutes apart: 1 h 20 credited
            answer(amina, lesson, opened.replace(hour=18 + (25 + minutes) // 60, minute=(25 + minutes) % 60), right=False)
    login(client, "animatrice", "animatrice-demo")
    lessons = read_csv(client.get("/animation/groupes/1/export.csv"))
    row = next(r for r in lessons if r[1] == "amina" and r[3] == "Premiers pas")
    assert row[7] == "1\u00a0h\u00a020" and row[8] == "01/12/2026 19:25" and row[9] == "01/12/2026 20:45"
    people = read_csv(client.get("/animation/groupes/1/participants.csv"))
    assert people[0][:4] == ["Participant", "Identifiant", "Compte", "Leçons terminées"]
    assert len(people) == 1 + 2  # the demo group's two learners, one row each
    amina_row = next(r for r in people if r[1] == "amina")
    assert amina_row[2] == "actif" and amina_row[4] == "1" and amina_row[6] == "1\u00a0h\u00a020"
    assert amina_row[7] == "01/12/2026 20:45" and "Premiers pas" in amina_row[9]


def test_impact_csv_writes_hours_with_a_comma(app, client):
    from datetime import datetime

    from app.lesson_library import get_library
    from tests.facilitate_helpers import answer, make_learner, visit

    with app.app_context():
        lesson = get_library().lesson("demo-premiers-pas")
        amina = db.session.scalar(db.select(User.id).filter_by(username="amina"))
        # Five people (the report shows no figure about fewer): 24 + 4 × 6 minutes = 48 minutes, 0,8 hour.
        learners = [(amina, 24)] + [(make_learner(name, 1), 6) for name in ("ana", "ben", "cleo", "dina")]
        for learner, minutes in learners:
            visit(learner, lesson.id, datetime(2026, 3, 2, 9, 0))
            answer(learner, lesson, datetime(2026, 3, 2, 9, minutes))
    login(client, "animatrice", "animatrice-demo")
    rows = read_csv(client.get("/animation/rapport.csv?start=2026-03-01&end=2026-03-31&groups=1"))
    assert ["À la maison, sur la plateforme", "Heures sur la plateforme", "En autonomie (à distance)", "", "0,8"] in rows
    assert ["", "Période", "", "", "01/03/2026 au 31/03/2026"] in rows
    page = client.get("/animation/rapport?start=2026-03-01&end=2026-03-31&groups=1").get_data(as_text=True)
    assert "<td>0,8</td>" in page and "1 mars 2026" in page
