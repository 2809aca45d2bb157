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
        config.ASSOCIATION_NAME = "Association Numérique pour tous"
        config.ASSOCIATION_PHONE = "01 69 00 00 00"
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


WORKSHOP_NAMES = (
    "Samira El Amrani", "Josiane Morel", "Nguyễn Thị Lan", "Fatou Diallo", "Karim Ben Salah", "Ana da Silva",
    "Mireille Dubois", "Aïcha N'Diaye", "Hélène Martin", "Yasmina Haddad", "Marie-Claire Lefèvre", "Rosa Pereira",
)


def seed_workshop(app, group_name: str = "Atelier du mardi", facilitator: str = "animatrice") -> int:
    """A workshop of twelve learners a facilitator meets: one asked for help with a message, two
    never used the card printed three days ago, one failed a quiz twice, two did nothing for weeks,
    the others moving on. Written through app.progress and app.facilitate.accounts; returns the group id."""
    from datetime import timedelta

    from sqlalchemy import insert, select, update

    from app import progress
    from app.content import grade
    from app.facilitate import accounts
    from app.models import Group, SignInToken, User, group_facilitator, utcnow
    from app.names import NameEntry, parse_name

    with app.app_context():
        now = utcnow()
        lessons = [lesson for lesson in get_library().ordered_lessons if lesson.quiz]
        group = Group(name=group_name)
        db.session.add(group)
        db.session.flush()
        staff_id = db.session.scalar(select(User.id).filter_by(username=facilitator))
        db.session.execute(insert(group_facilitator).values(group_id=group.id, user_id=staff_id))
        db.session.commit()
        entries = [NameEntry(n, *parse_name(name)) for n, name in enumerate(WORKSHOP_NAMES, start=1)]
        staff = db.session.get(User, staff_id)
        ids = [card.user_id for card in accounts.create_participants(group, entries, staff)]
        weeks_ago = now - timedelta(days=30)
        db.session.execute(update(User).where(User.id.in_(ids)).values(created_at=weeks_ago))
        db.session.execute(update(SignInToken).where(SignInToken.user_id.in_(ids)).values(created_at=now - timedelta(days=3)))
        db.session.commit()
        def right(lesson):
            return {q.key: sorted(q.right_keys) for q in lesson.quiz.questions}

        def wrong(lesson):
            return {q.key: sorted({c.key for c in q.choices} - q.right_keys)[:1] for q in lesson.quiz.questions}

        # The first eight signed in since their card; two of them (6 and 7) long ago.
        for index, user_id in enumerate(ids[:8]):
            seen = now - timedelta(days=20 if index in (6, 7) else 1)
            db.session.execute(update(User).where(User.id == user_id).values(last_login_at=seen))
            db.session.commit()
            for number, lesson in enumerate(lessons[: 1 + index % 4]):
                progress.record_visit(user_id, lesson.id, at=seen + timedelta(minutes=10 * number))
                progress.record_attempt(user_id, lesson, grade(lesson.quiz, right(lesson)), f"seed-{user_id}-{lesson.id}"[:64],
                                        at=seen + timedelta(minutes=10 * number + 6))
        # Josiane failed the next quiz twice; Samira asked to be called back.
        stuck = lessons[min(2, len(lessons) - 1)]
        for attempt in (1, 2):
            progress.record_attempt(ids[1], stuck, grade(stuck.quiz, wrong(stuck)), f"seed-fail-{attempt}-{ids[1]}",
                                    at=now - timedelta(hours=3 - attempt))
        progress.request_help(ids[0], lessons[0].id, "Je ne trouve pas où on met le mot de passe.", at=now - timedelta(hours=2))
        return group.id
