"""French error pages, including 503 when the database does not answer."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from .extensions import db, login_manager

log = logging.getLogger(__name__)

ERROR_TITLES = {
    400: "Demande incorrecte",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Demande incorrecte",
    409: "Modification impossible",
    413: "Envoi trop volumineux",
    429: "Trop d'essais",
    500: "Erreur du serveur",
    503: "Service momentanément indisponible",
}


def render_error(code: int, message: str | None = None):
    title = ERROR_TITLES.get(code) or ERROR_TITLES[400 if code < 500 else 500]
    return render_template("errors/error.html", code=code, title=_(title), message=message), code


def init_app(app: Flask) -> None:
    for code in ERROR_TITLES:
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(HTTPException)
    def any_other_http_error(error):
        # 416 for a Range no file has, 415, 431…: Werkzeug's English page otherwise.
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("Le formulaire a expiré. Revenez en arrière, rechargez la page et recommencez."))

    @app.teardown_appcontext
    def close_session_even_when_the_database_is_gone(_error):
        # Runs before Flask-SQLAlchemy's own teardown. A connection cut by the server mid-request
        # fails its rollback; drop it instead, and the pool opens a new one for the next request.
        try:
            db.session.remove()
        except DBAPIError:
            db.session.invalidate()
            db.session.remove()

    @app.errorhandler(SecurityError)
    def untrusted_host(_error):
        # A Host outside TRUSTED_HOSTS: no address can be built for this request, so no page layout.
        title, text = _("Demande incorrecte"), _("Cette adresse n'est pas celle de la plateforme.")
        return f'<!doctype html><html lang="fr"><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(text)}</p></html>', 400

    @app.errorhandler(IntegrityError)
    def conflicting_write(error):
        # Two writes at once on a unique value, not an outage: the person may simply try again.
        log.warning("conflicting write: %s", type(error.orig or error).__name__)
        db.session.rollback()
        return render_error(409, _("Ce changement n'a pas pu être enregistré : quelqu'un d'autre a fait le même au même moment. Rechargez la page et vérifiez."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        # The pool pings connections before use, so the next request reconnects by itself.
        log.error("database unavailable: %s", type(error.orig or error).__name__)
        try:
            db.session.rollback()
        except DBAPIError:
            db.session.invalidate()
        # The page must not ask the database who is signed in.
        g._login_user = login_manager.anonymous_user()
        response = render_error(503)
        return response[0], 503, {"Retry-After": "30"}
