"""The impact report's figures on a small data set computed by hand."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from sqlalchemy import update

from app import progress, reports
from app.extensions import db
from app.lesson_library import get_library
from app.models import User
from tests.facilitate_helpers import add_attempt, add_progress, login, make_group, make_learner

D = datetime


def build(app) -> tuple[int, int]:
    """Period: Monday 2 March to Sunday 15 March 2026 (two weeks)."""
    library = get_library()
    first, bonus = library.lesson("demo-premiers-pas"), library.lesson("demo-bonus")
    with app.app_context():
        g1 = make_group("Groupe du lundi", facilitators=["bruno"])
        g2 = make_group("Groupe du jeudi", facilitators=["claire"])
        a = make_learner("ana", g1, created_at=D(2026, 1, 10))
        b = make_learner("ben", g1, created_at=D(2026, 2, 1))
        make_learner("cyril", g1, created_at=D(2026, 3, 20))  # enrolled after the period
        d = make_learner("dina", g1, created_at=D(2026, 1, 1))
        e = make_learner("emma", g1, created_at=D(2026, 2, 1))
        f = make_learner("fred", g2, created_at=D(2026, 1, 1))  # another group: never counted
        # Ana: the whole "demo" module in the period.
        add_progress(a, first.id, D(2026, 3, 2, 10), completed=D(2026, 3, 3, 9), seconds=220, best=(3, 3))
        add_attempt(a, first, {}, D(2026, 3, 2, 10, 10), passed=False, seconds=120)
        add_attempt(a, first, {}, D(2026, 3, 3, 9), passed=True, seconds=100)
        add_progress(a, "demo-sans-quiz", D(2026, 3, 3, 9, 5), completed=D(2026, 3, 3, 9, 10), seconds=300)
        add_progress(a, bonus.id, D(2026, 3, 10), completed=D(2026, 3, 10, 0, 5), seconds=60, best=(2, 2))
        add_attempt(a, bonus, {}, D(2026, 3, 10, 0, 5), passed=True, seconds=60)
        # Ben: failed his first try in February, passed in the period, and the one-lesson module.
        add_progress(b, first.id, D(2026, 2, 20), completed=D(2026, 3, 9), seconds=130, best=(3, 3))
        add_attempt(b, first, {}, D(2026, 2, 20), passed=False, seconds=50)
        add_attempt(b, first, {}, D(2026, 3, 9), passed=True, seconds=80)
        add_progress(b, "demo-suite-lecture", D(2026, 3, 12), completed=D(2026, 3, 12, 0, 3), seconds=200)
        # Dina: only after the period. Emma: only before, then deactivated (still enrolled).
        add_progress(d, "demo-sans-quiz", D(2026, 4, 1), completed=D(2026, 4, 1), seconds=300)
        add_progress(e, first.id, D(2026, 2, 1))
        db.session.execute(update(User).where(User.id == e).values(active=False))
        db.session.commit()
        # Fred, in the other group, is busy during the period.
        add_progress(f, "demo-sans-quiz", D(2026, 3, 4), completed=D(2026, 3, 4), seconds=900)
        add_attempt(f, first, {}, D(2026, 3, 4), passed=True, seconds=500)
        # Records written directly, dated in the past: the report reads the summaries made from them.
        progress.rebuild_summaries(library)
    return g1, g2


def test_impact_figures_match_the_hand_count(app):
    with app.test_request_context():
        g1, _g2 = build(app)
        report = reports.impact_report([g1], date(2026, 3, 2), date(2026, 3, 15), get_library())
    assert report.enrolled == 4  # ana, ben, dina, emma (cyril came after)
    assert report.active == 2  # ana, ben
    # Quiz time at its date (ana 120+100+60, ben 80) + lessons without quiz finished (ana 300, ben 200).
    assert report.seconds == 360 + 500 and report.hours == 0.2
    assert report.lessons_completed == 5  # ana 3, ben 2
    by_module = {m.module_id: (m.lessons_completed, m.modules_completed) for m in report.modules}
    assert by_module == {"demo": (4, 1), "demo-suite": (1, 1)}
    assert report.modules_completed == 2
    # First tries in the period: ana's on "premiers pas" (failed) and on "bonus" (passed); ben's was in February.
    assert (report.first_attempts, report.first_attempts_passed, report.first_try_percent) == (2, 1, 50)
    assert report.weeks == [(date(2026, 3, 2), 1), (date(2026, 3, 9), 2)]


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
    figures = {(r[0], r[1]): r[2] for r in rows}
    assert figures[("Participants inscrits", "")] == "4"
    assert figures[("Participants actifs", "")] == "2"
    assert figures[("Heures d'apprentissage", "")] == "0,2"
    assert figures[("Leçons terminées", "Découvrir Pas à pas")] == "4"
    # Bruno may not report on Claire's group, and bad dates are answered in French.
    assert client.get(f"/animation/rapport?start=2026-03-02&end=2026-03-15&groups={g2}").status_code == 422
    bad = client.get(f"/animation/rapport?start=2026-03-15&end=2026-03-02&groups={g1}")
    assert bad.status_code == 422 and "La date de fin doit être après la date de début." in bad.get_data(as_text=True)
