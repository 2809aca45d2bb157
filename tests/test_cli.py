"""Flask commands: lessons check, demo accounts; the health check and migrations."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app import create_app
from app.extensions import db
from app.models import Group, Role, User
from config import ProductionConfig, TestingConfig

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def test_lessons_check_prints_a_summary_and_readability_and_exits_0(app):
    result = app.test_cli_runner().invoke(args=["lessons", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("3 modules, 5 lessons, 9 questions")
    assert "01-demo/01-premiers-pas.md: 4.9 mots par phrase, 0 phrase(s) de plus de 20 mots" in result.output


def test_lessons_check_lists_every_problem_with_file_and_line_and_exits_1(app, tmp_path):
    broken = tmp_path / "lessons"
    shutil.copytree(FIXTURES, broken)
    lesson = broken / "01-demo" / "03-bonus.md"
    lesson.write_text(lesson.read_text().replace("Réponse : faux", "Réponse : bof"))
    wordy = broken / "02-demo-suite" / "01-suite.md"
    wordy.write_text(wordy.read_text() + "\n" + " ".join(["mot"] * 200) + ".\n")
    result = app.test_cli_runner().invoke(args=["lessons", "check", "--dir", str(broken)])
    assert result.exit_code == 1
    assert f"{lesson}:19: une question vrai ou faux a besoin de « Réponse : vrai » ou « Réponse : faux »" in result.output
    assert f"{wordy}:1: phrases trop longues en moyenne" in result.output
    assert "trop longue : mot mot" in result.output


def test_lessons_check_prints_warnings_with_file_and_line_and_still_exits_0(make_app, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURES, lessons)
    old = lessons / "02-demo-suite" / "01-suite.md"
    old.write_text(old.read_text().replace("verified: 2026-11-20", "verified: 2000-01-31"))
    result = make_app().test_cli_runner().invoke(args=["lessons", "check", "--dir", str(lessons)])
    assert result.exit_code == 0, result.output
    assert f"{old}:7: attention : vérifiée le 2000-01-31, il y a plus de 12 mois : relisez la leçon et ses sources" in result.output
    assert f"{lessons / '01-demo' / '02-sans-quiz.md'}:13: attention : la leçon n'a pas d'image" in result.output
    assert "4 avertissements : la leçon reste affichée" in result.output
    assert result.output.strip().endswith("3 modules, 5 lessons, 9 questions")
    # The review period is a setting.
    patient = make_app(LESSON_REVIEW_MONTHS=12 * 100).test_cli_runner().invoke(args=["lessons", "check", "--dir", str(lessons)])
    assert "vérifiée le" not in patient.output and "3 avertissements" in patient.output


def test_lessons_check_fails_on_a_lesson_without_sources(app, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURES, lessons)
    lesson = lessons / "01-demo" / "03-bonus.md"
    text = lesson.read_text()
    lesson.write_text(text[:text.index("sources:")] + text[text.index("---", 4):])
    result = app.test_cli_runner().invoke(args=["lessons", "check", "--dir", str(lessons)])
    assert result.exit_code == 1
    assert f"{lesson}:1: la leçon n'a pas de sources" in result.output
    assert result.output.strip().endswith("3 modules, 4 lessons, 7 questions")


def test_demo_accounts_are_created_once(make_app):
    app = make_app()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "create"])
    assert "participant  identifiant : amina       mot de passe : amina-demo" in first.output
    assert "facilitator  identifiant : animatrice  mot de passe : animatrice-demo" in first.output
    assert "aucun compte de démonstration créé" in runner.invoke(args=["demo", "create"]).output
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        assert set(users) == {"admin", "animatrice", "amina", "josiane"}
        assert users["admin"].role is Role.ADMIN and users["animatrice"].role is Role.FACILITATOR
        assert users["amina"].group.name == users["josiane"].group.name == "Groupe démo"
        assert db.session.scalar(select(db.func.count()).select_from(Group)) == 1


def test_demo_accounts_are_never_created_in_production(make_app):
    app = make_app(CREATE_DEMO_ACCOUNTS=ProductionConfig.CREATE_DEMO_ACCOUNTS)
    result = app.test_cli_runner().invoke(args=["demo", "create"])
    assert result.exit_code != 0 and "refusés en production" in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    try:
        create_app(ProductionConfig())
    except RuntimeError as error:
        assert "SECRET_KEY" in str(error)
    else:
        raise AssertionError("production started without SECRET_KEY")


def test_health_check_answers_200_then_503_when_the_database_is_gone(client, tmp_path):
    assert client.get("/healthz").status_code == 200
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'absent' / 'dossier' / 'db.sqlite'}"
    broken = create_app(config)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503


def test_migrations_upgrade_an_empty_database_and_downgrade_back(tmp_path):
    config = TestingConfig()
    # On the suite's own server when one is given (PostgreSQL in CI), else a new SQLite file.
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"user", "group", "lesson_progress", "quiz_attempt", "audit_event", "help_request", "alembic_version"} <= tables
        # The migrations build exactly the schema the models describe.
        assert_schema_matches_models()
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
            assert db.session.execute(db.text("PRAGMA synchronous")).scalar() == 2  # FULL
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and up again, for the next tests on this server
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()


def assert_schema_matches_models():
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_admin_create_prints_a_generated_password_that_signs_in(make_app):
    app = make_app(CREATE_DEMO_ACCOUNTS=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["admin", "create", "claire.admin", "Claire"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Mot de passe : ")[1].strip()
    assert len(password.split("-")) == 5
    with app.app_context():
        admin = db.session.execute(select(User).filter_by(username="claire.admin")).scalar_one()
        assert admin.role is Role.ADMIN and admin.check_password(password)
    again = runner.invoke(args=["admin", "create", "claire.admin", "Claire"])
    assert again.exit_code != 0 and "déjà pris" in again.output


def test_migration_0007_gives_existing_people_a_session_token_and_groups_a_name_key(tmp_path):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'before-0007.sqlite'}"
    app = create_app(config)
    with app.app_context():
        upgrade(revision="0005")
        db.session.execute(db.text(
            "INSERT INTO \"group\" (id, name, created_at) VALUES (1, 'Équipe Été', '2026-01-01'), (2, 'équipe  été', '2026-01-02')"))
        db.session.execute(
            db.text("INSERT INTO user (id, username, first_name, last_initial, role, password_hash, active, created_at) "
                    "VALUES (:id, :username, 'X', '', 'participant', 'x', 1, '2026-01-01')"),
            [{"id": 1, "username": "amina"}, {"id": 2, "username": "zoe"}],
        )
        db.session.commit()
        upgrade()
        tokens = db.session.execute(db.text("SELECT session_token FROM user")).scalars().all()
        keys = db.session.execute(db.text("SELECT name_key FROM \"group\" ORDER BY id")).scalars().all()
        assert len(set(tokens)) == 2 and all(len(token) >= 40 for token in tokens)
        assert keys == ["équipe été", "équipe été (2)"]
        db.engine.dispose()
