"""The group view: flags, and a constant number of SQL statements whatever the group size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from app.content import load_library
from app.extensions import db
from app.models import utcnow
from tests.facilitate_helpers import (
    answer,
    login,
    make_group,
    make_learner,
    visit,
    write_lessons,
)


def seed(group_id: int, learners: int, library) -> None:
    """Learners who opened six lessons, passed three quizzes and failed one, through app.progress."""
    at = utcnow() - timedelta(hours=1)
    lessons = library.ordered_lessons[:6]
    for i in range(learners):
        learner = make_learner(f"learner{group_id}-{i}", group_id, f"Personne {i}")
        for n, lesson in enumerate(lessons):
            visit(learner, lesson.id, at)
            if n % 2:
                answer(learner, lesson, at)
        answer(learner, lessons[0], at, right=False)


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self.tick)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self.tick)

    def tick(self, *args):
        self.count += 1


@pytest.fixture
def big_app(make_app, tmp_path):
    app = make_app(LESSONS_DIR=write_lessons(tmp_path / "lessons"))  # 4 modules × 10 lessons
    with app.app_context():
        from app.cli import create_demo_accounts

        create_demo_accounts()
    return app


def test_group_view_runs_a_constant_small_number_of_queries(big_app):
    library = load_library(big_app.config["LESSONS_DIR"])
    assert len(library.ordered_lessons) == 40
    with big_app.app_context():
        small = make_group("Petit groupe", facilitators=["bruno"])
        large = make_group("Grand groupe", facilitators=["bruno"])
        seed(small, 3, library)
        seed(large, 30, library)
        engine = db.engine
    client = big_app.test_client()
    login(client, "bruno")
    counts = {}
    for group_id, size in ((small, 3), (large, 30)):
        client.get(f"/animation/groupes/{group_id}")  # warm the template cache
        with StatementCounter(engine) as counter:
            response = client.get(f"/animation/groupes/{group_id}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('<th scope="row" class="grid-name">') == size
        assert html.count('class="cell cell-done"') == size * 3
        assert html.count('class="cell cell-started"') == size * 3
        counts[size] = counter.count
    # The grid (4), who needs you: help requests, cards, calls (3), and the session, the user, the group, the audit line.
    assert counts[3] == counts[30] <= 12, counts


def test_flags_inactive_and_failed_twice(app, client):
    library = load_library(app.config["LESSONS_DIR"])
    lesson = library.lesson("demo-premiers-pas")
    now = utcnow()
    with app.app_context():
        group = make_group("Groupe drapeaux", facilitators=["bruno"])
        lina = make_learner("lina", group, created_at=now - timedelta(days=30))
        omar = make_learner("omar", group, created_at=now - timedelta(days=30))
        sami = make_learner("sami", group, created_at=now - timedelta(days=30))
        visit(lina, lesson.id, now - timedelta(days=9))  # last seen 9 days ago
        visit(omar, lesson.id, now - timedelta(hours=2))
        answer(omar, lesson, now - timedelta(hours=2), right=False)
        answer(omar, lesson, now - timedelta(hours=1), right=False)
        visit(sami, lesson.id, now - timedelta(days=1))
        answer(sami, lesson, now - timedelta(days=1), right=False)
        answer(sami, lesson, now - timedelta(hours=4), right=False)
        answer(sami, lesson, now - timedelta(hours=3))  # passed since: no flag
    login(client, "bruno")
    html = client.get(f"/animation/groupes/{group}").get_data(as_text=True)
    needs = html.split('id="besoin"', 1)[1].split('id="tableau"', 1)[0]
    # Only those who need something, the one stuck on a quiz before the inactive one, each with the reason in words.
    assert "Sami" not in needs and needs.index(">Omar</a>") < needs.index(">Lina</a>")
    cards = {name: needs.split(f">{name}</a>", 1)[1].split('class="call-back"', 1)[0] for name in ("Lina", "Omar")}
    assert "Plus rien depuis le" in cards["Lina"] and "(9 jours)" in cards["Lina"]
    assert "Plus rien" not in cards["Omar"] and "2 échecs au quiz de" in cards["Omar"] and "pas encore réussi" in cards["Omar"]
    assert "Premiers pas" in cards["Omar"]
    # The table says it with words as well as icons, in each learner's own row.
    rows = {name: html.split(f'class="grid-name"><a href="/animation/participants/{learner_id}">{name}</a></th>', 1)[1].split("</tr>", 1)[0]
            for name, learner_id in (("Lina", lina), ("Omar", omar), ("Sami", sami))}
    assert '<abbr title="Terminée">T</abbr> <span class="cell-score">100\u202f%</span>' in rows["Sami"] and "échecs au quiz" not in rows["Sami"]
    assert '<abbr title="Commencée">C</abbr>' in rows["Omar"]
    assert '<abbr title="2 échecs au quiz">2×</abbr>' in rows["Omar"]
    assert '<abbr title="À faire">–</abbr>' in rows["Lina"]
    cell_count = len(library.ordered_lessons)
    assert all(row.count("<td") == cell_count for row in rows.values())
    assert all(row.count('<td class="grid-module-start">') == len(library.modules) for row in rows.values())
    assert f'<a href="/animation/groupes/{group}/lecons/{lesson.id}">Premiers pas' in cards["Omar"]
