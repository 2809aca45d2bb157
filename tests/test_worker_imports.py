"""What a web worker imports: commands and rare pages bring their heavy libraries themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from config import TestingConfig

ROOT = Path(__file__).resolve().parents[1]
# Flask-Migrate pulls in Alembic and Mako (11 MB per worker); segno draws the sign-in cards' QR codes.
COMMAND_ONLY_MODULES = ("flask_migrate", "alembic", "mako", "segno")
# Only rendering lessons needs these (app/content/parser.py and rendering.py).
RENDERING_MODULES = ("markdown", "bleach", "yaml")


def imported_by_create_app(modules: tuple[str, ...], lesson_cache_dir: str = "", database_url: str = "") -> list[str]:
    """Which of modules a fresh interpreter has imported once it has created the app."""
    code = (
        "import json, sys\nfrom app import create_app\nfrom config import TestingConfig\n"
        f"config = TestingConfig()\nconfig.LESSON_CACHE_DIR = {lesson_cache_dir!r}\n"
        f"config.SQLALCHEMY_DATABASE_URI = {database_url!r} or config.SQLALCHEMY_DATABASE_URI\ncreate_app(config)\n"
        f"print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def test_creating_the_app_imports_no_command_only_library():
    assert imported_by_create_app(COMMAND_ONLY_MODULES) == []


def test_a_worker_that_finds_the_lessons_in_the_cache_does_not_load_the_renderer(tmp_path):
    cache_dir = str(tmp_path / "cache")
    assert imported_by_create_app(RENDERING_MODULES, cache_dir) == sorted(RENDERING_MODULES)
    assert imported_by_create_app(RENDERING_MODULES, cache_dir) == []


def test_flask_db_lists_and_runs_flask_migrate_commands(tmp_path):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(config)
    runner = app.test_cli_runner()
    help_text = runner.invoke(args=["db", "--help"])
    assert help_text.exit_code == 0, help_text.output
    assert "upgrade" in help_text.output and "--directory" in help_text.output
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    with app.app_context():
        assert {"user", "quiz_attempt", "alembic_version"} <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
