"""`flask backup` copies a live SQLite database; the copy restores every record."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app import create_app, progress
from app.cli import create_demo_accounts
from app.content import grade
from app.extensions import db
from app.lesson_library import get_library
from app.models import Activity, LessonProgress, QuizAttempt, User
from config import TestingConfig


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, LessonProgress, QuizAttempt)
    }


def sqlite_app(path):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
    return create_app(config)


def test_backup_while_writing_then_restore_finds_every_record(tmp_path):
    app = sqlite_app(tmp_path / "live.sqlite")
    with app.app_context():
        db.create_all()
        create_demo_accounts()
        lesson = get_library().lesson("demo-premiers-pas")
        right = {q.key: sorted(q.right_keys) for q in lesson.quiz.questions}
        amina = db.session.scalar(select(User.id).filter_by(username="amina"))
        for n in range(20):
            progress.record_attempt(amina, lesson, grade(lesson.quiz, right), f"before-{n:04d}")
        expected = counts()

    # Another thread keeps a write transaction going while the backup runs.
    def writer():
        with app.app_context():
            for n in range(50):
                progress.record_attempt(amina, lesson, grade(lesson.quiz, right), f"during-{n:04d}")

    thread = threading.Thread(target=writer)
    thread.start()
    result = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path / "copy.sqlite")])
    thread.join()
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.output

    restored = sqlite_app(tmp_path / "copy.sqlite")
    with restored.app_context():
        found = counts()
        assert found["User"] == expected["User"] and found["LessonProgress"] == expected["LessonProgress"]
        # Consistent: every attempt written before the backup, and whole transactions only.
        assert expected["QuizAttempt"] <= found["QuizAttempt"] <= expected["QuizAttempt"] + 50
        ids = set(db.session.scalars(select(QuizAttempt.client_id)))
        assert {f"before-{n:04d}" for n in range(20)} <= ids
        assert db.session.scalar(select(func.count()).select_from(Activity)) == found["QuizAttempt"]
        assert db.session.scalar(select(LessonProgress.seconds_spent)) == db.session.scalar(select(func.sum(Activity.seconds)))
        db.engine.dispose()
    with app.app_context():
        db.engine.dispose()


def test_backup_refuses_other_databases_with_a_pointer_to_the_docs():
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0 and "pg_dump" in result.output
