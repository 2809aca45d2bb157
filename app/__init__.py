"""Pas à pas: create_app() wires configuration, extensions, blueprints and commands."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from config import BASE_DIR, INSTANCE_DIR, config_for

from . import assets, errors, formats, lesson_library, request_log, rules, security
from .extensions import babel, compress, csrf, db, limiter, login_manager
from .forms import LARGEST_ID
from .models import HealthCheck, User, utcnow


class DatabaseIdConverter(IntegerConverter):
    """An <int:...> in a URL is a row id (app.forms.id_number): ASCII digits only ("١" is not 1),
    and anything past a 32-bit key is a 404, not a database error."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=1, max=LARGEST_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config=None, *, commands: bool = True) -> Flask:
    """The app; gunicorn.conf.py asks for it without the `flask` commands (commands=False): the web
    server runs none, and their Flask-Migrate, Alembic and Mako would add about 0.3 s to its start
    and 10 MB to its memory (docs/benchmarks.md)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.url_map.converters["int"] = DatabaseIdConverter
    app.config.from_object(config if config is not None else config_for())
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour continuer.")
    login_manager.session_protection = "basic"
    compress.init_app(app)
    assets.init_app(app)

    from .auth import bp as auth_bp
    from .facilitate import bp as facilitate_bp
    from .learn import bp as learn_bp
    from .pages import bp as pages_bp
    from .privacy import bp as privacy_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(facilitate_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(privacy_bp)

    security.init_app(app)
    rules.init_app(app)
    formats.init_app(app)
    errors.init_app(app)
    request_log.init_app(app)
    _register_health_check(app)
    if commands:
        from . import cli

        cli.init_app(app)
    lesson_library.init_app(app)
    return app


@login_manager.user_loader
def _load_user(session_token: str):
    return db.session.scalars(select(User).where(User.session_token == session_token)).first()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets learners read while another one writes; foreign keys are off by default. FULL makes
    # an acknowledged quiz answer survive a power cut (some SQLite builds default to NORMAL in WAL).
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _register_health_check(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        try:
            written = db.session.execute(update(HealthCheck).where(HealthCheck.id == 1).values(checked_at=utcnow()))
            if written.rowcount == 0:
                db.session.add(HealthCheck(id=1))
            db.session.commit()
        except Exception:  # any database failure, reading or writing, means "not healthy"
            db.session.rollback()
            return {"status": "database unavailable"}, 503
        return {"status": "ok"}
