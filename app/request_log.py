"""One structured log line per request, with no password, token or query string in it."""

from __future__ import annotations

import json
import logging
import re
import time

from flask import Flask, g, request

log = logging.getLogger("pasapas.request")
# A sign-in card's address holds its secret. The servers' own access logs write the request line
# (and gunicorn the Referer): the token is cut out of any line they write, whichever runs the app.
CARD_PATH = re.compile(r"(/connexion/carte/)[^\s\"?#]+")
SERVER_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


class CardTokenFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/connexion/carte/" in message:
            record.msg, record.args = CARD_PATH.sub(r"\1…", message), None
        return True


def _redact_server_logs() -> None:
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, CardTokenFilter) for f in logger.filters):
            logger.addFilter(CardTokenFilter())


def init_app(app: Flask) -> None:
    _redact_server_logs()
    if not log.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        user = g.get("_login_user")  # set only if the request looked at the user
        log.info(
            json.dumps(
                {
                    "method": request.method,
                    # The route pattern, not the path: a sign-in token in a URL stays out of the logs.
                    "route": request.url_rule.rule if request.url_rule else "(inconnue)",
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                    "user": user.id if user is not None and user.is_authenticated else None,
                },
                ensure_ascii=False,
            )
        )
        return response
