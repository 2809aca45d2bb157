"""Pas à pas: create_app() wires configuration, extensions, blueprints and commands."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from config import BASE_DIR, INSTANCE_DIR, config_for

from . import cli, lesson_library
from .extensions import babel, csrf, db, limiter, login_manager, migrate

ERROR_PAGES = {
    400: "Demande incorrecte",
    403: "Accès refusé",
    404: "Page introuvable",
    413: "Envoi trop volumineux",
    429: "Trop d'essais",
    500: "Erreur du serveur",
    503: "Service momentanément indisponible",
}


def create_app(config=None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(config if config is not None else config_for())
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour continuer.")
    login_manager.session_protection = "basic"

    from .auth import bp as auth_bp
    from .facilitate import bp as facilitate_bp
    from .learn import bp as learn_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(facilitate_bp)

    _register_error_pages(app)
    _register_health_check(app)
    cli.init_app(app)
    lesson_library.init_app(app)
    return app


@login_manager.user_loader
def _load_user(user_id: str):
    from .models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets learners read while another one writes; foreign keys are off by default.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _register_error_pages(app: Flask) -> None:
    def render_error(code: int, message: str | None = None):
        return render_template("errors/error.html", code=code, title=_(ERROR_PAGES[code]), message=message), code

    for code in ERROR_PAGES:
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("Le formulaire a expiré. Revenez en arrière, rechargez la page et recommencez."))


def _register_health_check(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # any database failure means "not healthy"
            db.session.rollback()
            return {"status": "database unavailable"}, 503
        return {"status": "ok"}
