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
    assert ["Amina", "amina", "Découvrir Pas à pas", "Premiers pas", "à faire", "", "0", "0", "", "", ""] in rows
