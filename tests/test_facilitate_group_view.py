"""The group view: flags, and a constant number of SQL statements whatever the group size."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, insert

from app.content import load_library
from app.extensions import db
from app.models import LessonProgress, QuizAttempt, Role, User, utcnow
from tests.facilitate_helpers import (
    PASSWORD_HASH,
    add_attempt,
    add_progress,
    login,
    make_group,
    make_learner,
    write_lessons,
)


def seed(group_id: int, learners: int, lesson_ids: list[str], fingerprint: str) -> None:
    """Learners with a progress row on every lesson and one failed attempt each: bulk inserts."""
    now = utcnow()
    result = db.session.execute(
        insert(User).returning(User.id),
        [
            {"username": f"learner{group_id}-{i}", "first_name": f"Personne {i}", "last_initial": "", "role": Role.PARTICIPANT,
             "password_hash": PASSWORD_HASH, "group_id": group_id, "active": True, "created_at": now}
            for i in range(learners)
        ],
    )
    ids = [row[0] for row in result]
    db.session.execute(
        insert(LessonProgress),
        [
            {"user_id": uid, "lesson_id": lid, "started_at": now, "last_seen_at": now, "seconds_spent": 60,
             "completed_at": now if n % 2 else None, "best_score": n % 2, "best_max_score": 1}
            for uid in ids for n, lid in enumerate(lesson_ids)
        ],
    )
    db.session.execute(
        insert(QuizAttempt),
        [
            {"client_id": f"seed-{uid}-{lid}", "user_id": uid, "lesson_id": lid, "quiz_fingerprint": fingerprint, "score": 0,
             "max_score": 1, "passed": False, "answers": {"q1": ["b"]}, "seconds_spent": 30, "created_at": now}
            for uid in ids for lid in lesson_ids[:3]
        ],
    )
    db.session.commit()


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
    lesson_ids = [lesson.id for lesson in library.ordered_lessons]
    assert len(lesson_ids) == 40
    fingerprint = library.ordered_lessons[0].quiz.fingerprint
    with big_app.app_context():
        small = make_group("Petit groupe", facilitators=["bruno"])
        large = make_group("Grand groupe", facilitators=["bruno"])
        seed(small, 3, lesson_ids, fingerprint)
        seed(large, 30, lesson_ids, fingerprint)
        engine = db.engine
    client = big_app.test_client()
    login(client, "bruno")
    counts, timings = {}, []
    for group_id, size in ((small, 3), (large, 30)):
        client.get(f"/animation/groupes/{group_id}")  # warm the template cache
        with StatementCounter(engine) as counter:
            response = client.get(f"/animation/groupes/{group_id}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('<th scope="row" class="grid-name">') == size
        assert html.count('class="cell cell-done"') == size * 20
        counts[size] = counter.count
    assert counts[3] == counts[30] <= 8, counts
    for _ in range(15):
        started = time.perf_counter()
        client.get(f"/animation/groupes/{large}")
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"group view, 30 learners × 40 lessons: {counts[30]} SQL statements, median {median * 1000:.0f} ms")
    assert median < 2.0


def test_flags_inactive_and_failed_twice(app, client):
    library = load_library(app.config["LESSONS_DIR"])
    lesson = library.lesson("demo-premiers-pas")
    wrong = {"q1": ["a"], "q2": ["a"], "q3": ["vrai"]}
    now = utcnow()
    with app.app_context():
        group = make_group("Groupe drapeaux", facilitators=["bruno"])
        lina = make_learner("lina", group, created_at=now - timedelta(days=30))
        omar = make_learner("omar", group, created_at=now - timedelta(days=30))
        sami = make_learner("sami", group, created_at=now - timedelta(days=30))
        add_progress(lina, lesson.id, now - timedelta(days=9))  # last seen 9 days ago
        add_progress(omar, lesson.id, now - timedelta(hours=2))
        add_attempt(omar, lesson, wrong, now - timedelta(hours=2), passed=False)
        add_attempt(omar, lesson, wrong, now - timedelta(hours=1), passed=False)
        add_progress(sami, lesson.id, now - timedelta(days=1), completed=now - timedelta(hours=3), best=(3, 3))
        add_attempt(sami, lesson, wrong, now - timedelta(days=1), passed=False)
        add_attempt(sami, lesson, wrong, now - timedelta(hours=4), passed=False)
        add_attempt(sami, lesson, {"q1": ["b"]}, now - timedelta(hours=3), passed=True)  # passed since: no flag
    login(client, "bruno")
    html = client.get(f"/animation/groupes/{group}").get_data(as_text=True)
    cards = {name: html.split(f">{name}</a>", 1)[1].split("</li>", 1)[0] for name in ("Lina", "Omar", "Sami")}
    assert "Inactif·ve depuis 7 jours ou plus" in cards["Lina"]
    assert "Inactif·ve" not in cards["Omar"] and "A échoué deux fois au même quiz" in cards["Omar"]
    assert "Premiers pas" in cards["Omar"]
    assert "A échoué" not in cards["Sami"] and "Inactif" not in cards["Sami"]
    # The table says it with words as well as icons, in each learner's own row.
    rows = {name: html.split(f'class="grid-name"><a href="/animation/participants/{learner_id}">{name}</a></th>', 1)[1].split("</tr>", 1)[0]
            for name, learner_id in (("Lina", lina), ("Omar", omar), ("Sami", sami))}
    assert '<abbr title="Terminée">T</abbr> 100&nbsp;%' in rows["Sami"] and "échecs au quiz" not in rows["Sami"]
    assert '<abbr title="Commencée">C</abbr>' in rows["Omar"]
    assert '<abbr title="2 échecs au quiz">2×</abbr>' in rows["Omar"]
    assert '<abbr title="À faire">–</abbr>' in rows["Lina"]
    cell_count = len(library.ordered_lessons)
    assert all(row.count("<td") == cell_count for row in rows.values())
    assert all(row.count('<td class="grid-module-start">') == len(library.modules) for row in rows.values())
    assert f'<a href="/animation/groupes/{group}/lecons/{lesson.id}">Premiers pas' in cards["Omar"]
