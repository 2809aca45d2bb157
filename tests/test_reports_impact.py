"""The impact report's figures on a small data set computed by hand."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from sqlalchemy import update

from app import reports
from app.extensions import db
from app.lesson_library import get_library
from app.models import User
from tests.facilitate_helpers import answer, finish, login, make_group, make_learner, visit

D = datetime


def build(app) -> tuple[int, int]:
    """Period: Monday 2 March to Sunday 15 March 2026 (two weeks), Paris time (UTC+1 then)."""
    library = get_library()
    first, no_quiz, bonus = (library.lesson(i) for i in ("demo-premiers-pas", "demo-sans-quiz", "demo-bonus"))
    reading = library.lesson("demo-suite-lecture")
    with app.app_context():
        g1 = make_group("Groupe du lundi", facilitators=["bruno"])
        g2 = make_group("Groupe du jeudi", facilitators=["claire"])
        a = make_learner("ana", g1, created_at=D(2026, 1, 10))
        b = make_learner("ben", g1, created_at=D(2026, 2, 1))
        make_learner("cyril", g1, created_at=D(2026, 3, 20))  # enrolled after the period
        d = make_learner("dina", g1, created_at=D(2026, 1, 1))
        e = make_learner("emma", g1, created_at=D(2026, 2, 1))
        f = make_learner("fred", g2, created_at=D(2026, 1, 1))  # another group: never counted
        # Ana: the whole "demo" module in the period (moments in UTC).
        visit(a, first.id, D(2026, 3, 2, 10))
        answer(a, first, D(2026, 3, 2, 10, 2), right=False)  # 120 s, a first try, failed
        visit(a, first.id, D(2026, 3, 3, 9))
        answer(a, first, D(2026, 3, 3, 9, 1, 40))  # 100 s, passed: done
        visit(a, no_quiz.id, D(2026, 3, 3, 9, 5))
        finish(a, no_quiz, D(2026, 3, 3, 9, 10))  # 300 s: done
        visit(a, bonus.id, D(2026, 3, 10, 0, 0))
        answer(a, bonus, D(2026, 3, 10, 0, 1))  # 60 s, a first try, passed: the module is done
        # Ben: failed his first try in February, passed in the period, and the one-lesson module.
        visit(b, first.id, D(2026, 2, 20, 10))
        answer(b, first, D(2026, 2, 20, 10, 0, 50), right=False)
        visit(b, first.id, D(2026, 3, 9, 8))
        answer(b, first, D(2026, 3, 9, 8, 1, 20))  # 80 s
        visit(b, reading.id, D(2026, 3, 12, 10))
        finish(b, reading, D(2026, 3, 12, 10, 3, 20))  # 200 s
        visit(b, reading.id, D(2026, 3, 15, 23, 30))  # Monday 16 March in Paris: after the period
        # Dina: once at 00:30 on Monday 2 March in Paris (still 1 March in UTC), then after the period.
        visit(d, no_quiz.id, D(2026, 3, 1, 23, 30))
        finish(d, no_quiz, D(2026, 4, 1, 10))
        # Emma: only before, then deactivated (still enrolled).
        visit(e, first.id, D(2026, 2, 1))
        db.session.execute(update(User).where(User.id == e).values(active=False))
        db.session.commit()
        # Fred, in the other group, is busy during the period.
        visit(f, no_quiz.id, D(2026, 3, 4, 9))
        finish(f, no_quiz, D(2026, 3, 4, 9, 15))
        answer(f, first, D(2026, 3, 4, 9, 20))
    return g1, g2


def test_impact_figures_match_the_hand_count(app):
    with app.test_request_context():
        g1, _g2 = build(app)
        report = reports.impact_report([g1], date(2026, 3, 2), date(2026, 3, 15), get_library())
        value = lambda key, indicator, theme="": report.figure(key, indicator, theme).value  # noqa: E731
        assert value("people", "Participants inscrits") == 4  # ana, ben, dina, emma (cyril came after)
        assert value("people", "Participants actifs") == 3  # ana, ben, and dina on the period's first day in Paris
        # Quizzes (ana 120 + 100 + 60, ben 80) and lessons without a quiz finished (ana 300, ben 200).
        assert value("home", "Heures sur la plateforme") == 0.2
        assert value("home", "Participants ayant appris sur la plateforme") == 2
        assert value("lessons", "Leçons terminées") == 5  # ana 3, ben 2
        by_module = {
            m.id: (value("lessons", "Leçons terminées", m.title), value("lessons", "Modules terminés", m.title))
            for m in get_library().modules
        }
        assert by_module == {"demo": (4, 1), "demo-suite": (1, 1), "demo-pratique": (0, 0)}
        assert value("lessons", "Modules terminés") == 2
        # First tries in the period: ana's on "premiers pas" (failed) and on "bonus" (passed); ben's was in February.
        assert (value("lessons", "Premières tentatives de quiz"), value("lessons", "Quiz réussis du premier coup")) == (2, 1)
        assert [(monday, count.value) for monday, count in report.section("home").data["weeks"]] == [
            (date(2026, 3, 2), 2), (date(2026, 3, 9), 2)]
        # Four people: every figure about them is hidden, the groups' count is not.
        assert all(row.text == "moins de 5" for row in report.section("lessons").rows)
        assert report.figure("people", "Groupes").text == "1"


def test_impact_page_and_csv(app, client):
    with app.test_request_context():
        g1, g2 = build(app)
    login(client, "bruno")
    query = f"start=2026-03-02&end=2026-03-15&groups={g1}"
    html = client.get(f"/animation/rapport?{query}").get_data(as_text=True)
    assert html.count('role="img"') >= 2 and "<title id=\"chart-weeks-title\">" in html and "<desc" in html
    assert "style=" not in html.split('<main', 1)[1]
    response = client.get(f"/animation/rapport.csv?{query}")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Rubrique", "Indicateur", "Type d'accompagnement", "Thématique", "Valeur"]
    figures = {(r[1], r[3]): r[4] for r in rows[1:]}
    # Four people enrolled, three active: below five, the cells say so.
    assert figures[("Participants inscrits", "")] == "moins de 5"
    assert figures[("Participants actifs", "")] == "moins de 5"
    assert figures[("Heures sur la plateforme", "")] == "moins de 5"
    assert figures[("Leçons terminées", "Découvrir Pas à pas")] == "moins de 5"
    assert figures[("Groupes", "")] == "1"
    # Bruno may not report on Claire's group, and bad dates are answered in French.
    assert client.get(f"/animation/rapport?start=2026-03-02&end=2026-03-15&groups={g2}").status_code == 422
    bad = client.get(f"/animation/rapport?start=2026-03-15&end=2026-03-02&groups={g1}")
    assert bad.status_code == 422 and "La date de fin doit être après la date de début." in bad.get_data(as_text=True)
