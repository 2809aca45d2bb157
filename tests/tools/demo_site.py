"""A throwaway demo site for measurements: the real lessons, demo accounts, a free port on 127.0.0.1.

Used by `make lighthouse` and `make screenshots`; nothing here is part of the application.
"""

from __future__ import annotations

import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from app import create_app
from app.cli import create_demo_accounts
from app.extensions import db
from app.lesson_library import get_library
from config import BASE_DIR, TestingConfig

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@contextmanager
def demo_site():
    """Yield (url, app) for a server with demo data, stopped and deleted afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        config = TestingConfig()
        config.LESSONS_DIR = BASE_DIR / "lessons"
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(folder) / 'demo.sqlite'}"
        config.RATELIMIT_ENABLED = False
        app = create_app(config)
        with app.app_context():
            db.create_all()
            create_demo_accounts()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", app
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()


def _token(client, path: str) -> str:
    return CSRF_INPUT.search(client.get(path).get_data(as_text=True)).group(1)


def signed_in_visit(app, username: str = "amina") -> dict:
    """Sign in a demo account through the test client; return the session cookie and the URLs to measure.

    The quiz of the first lesson is answered once (half right), so a result page exists.
    """
    client = app.test_client()
    password = f"{username}-demo"  # the demo accounts' convention (app/cli.py)
    client.post("/connexion", data={"csrf_token": _token(client, "/connexion"), "username": username, "password": password})
    with app.app_context():
        lesson = get_library().ordered_lessons[0]
        questions = lesson.quiz.questions
    answers = {q.key: [q.choices[0].key] for q in questions}
    page = client.get(f"/lecons/{lesson.id}").get_data(as_text=True)
    client_id = re.search(r'name="client_id" value="([^"]+)"', page).group(1)
    form = answers | {"csrf_token": CSRF_INPUT.search(page).group(1), "client_id": client_id}
    result = client.post(f"/lecons/{lesson.id}/quiz", data=form).headers["Location"]
    cookie = client.get_cookie("session")
    return {
        "cookie": f"session={cookie.value}",
        "lesson": f"/lecons/{lesson.id}",
        "module": f"/modules/{lesson.module_id}",
        "result": result,
    }
