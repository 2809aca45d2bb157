"""Helpers for the facilitator tests: a generated lessons folder, quick accounts and records."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from app import progress
from app.content import QuestionType, grade
from app.content.grading import right_answer
from app.content.scenarios import demonstration
from app.extensions import db
from app.models import Group, Role, User, group_facilitator
from config import TestingConfig

PASSWORD = "test-mot-de-passe"
PASSWORD_HASH = generate_password_hash(PASSWORD, method=TestingConfig.PASSWORD_HASH_METHOD)

LESSON_TEMPLATE = """---
id: {lesson_id}
title: Leçon {number} du module {module}
duration: 5
objectives:
  - Dans cette leçon, vous allez essayer un quiz.
verified: 2026-11-20
sources:
  - url: https://www.service-public.gouv.fr/
    supports: Une leçon de test.
---

Une leçon courte. Elle sert aux tests.

## Quiz

### Quelle est la bonne réponse ?

- [x] La bonne.
- [ ] La mauvaise.
- [ ] L'autre mauvaise.

Explication : la bonne est la bonne.
"""


def write_lessons(root: Path, modules: int = 4, per_module: int = 10) -> Path:
    """A lessons folder of modules × per_module lessons, each with a one-question quiz."""
    for m in range(1, modules + 1):
        folder = root / f"{m:02d}-module-{m}"
        folder.mkdir(parents=True)
        (folder / "module.yml").write_text(
            f"id: module-{m}\ntitle: Module {m}\ndescription: Un module de test.\nicon: etoile\norder: {m}\n", encoding="utf-8"
        )
        for n in range(1, per_module + 1):
            (folder / f"{n:02d}-lecon.md").write_text(
                LESSON_TEMPLATE.format(lesson_id=f"m{m}-l{n}", number=n, module=m), encoding="utf-8"
            )
    return root


def make_group(name: str, facilitators: list[str] = ()) -> int:
    group = Group(name=name)
    db.session.add(group)
    db.session.flush()
    for username in facilitators:
        user = db.session.execute(select(User).filter_by(username=username)).scalar_one_or_none()
        if user is None:
            user = User(username=username, first_name=username.capitalize(), role=Role.FACILITATOR, password_hash=PASSWORD_HASH)
            db.session.add(user)
            db.session.flush()
        db.session.execute(insert(group_facilitator).values(group_id=group.id, user_id=user.id))
    db.session.commit()
    return group.id


def make_learner(username: str, group_id: int, first_name: str | None = None, created_at: datetime | None = None) -> int:
    user = User(
        username=username, first_name=first_name or username.capitalize(), role=Role.PARTICIPANT,
        group_id=group_id, password_hash=PASSWORD_HASH,
    )
    if created_at is not None:
        user.created_at = created_at
    db.session.add(user)
    db.session.commit()
    return user.id


def user_id(username: str) -> int:
    return db.session.execute(select(User.id).filter_by(username=username)).scalar_one()


def right_answers(quiz) -> dict:
    return {q.key: right_answer(q) for q in quiz.questions}


def wrong_answers(quiz) -> dict:
    return {q.key: wrong_answer(q) for q in quiz.questions}


def wrong_answer(question) -> list[str]:
    if question.type is QuestionType.ORDER:
        return right_answer(question)[::-1]
    if question.type is QuestionType.TYPED:
        return ["une autre réponse"]
    return sorted({c.key for c in question.choices} - question.right_keys)[:1]


_attempts = iter(range(1, 10**9))


def visit(user_id: int, lesson_id: str, at: datetime) -> None:
    progress.record_visit(user_id, lesson_id, at=at)


def finish(user_id: int, lesson, at: datetime) -> None:
    progress.complete_lesson(user_id, lesson, at=at)


def answer(user_id: int, lesson, at: datetime, answers: dict | None = None, right: bool = True, hints=None):
    """A quiz attempt through app.progress: the given answers, or all right (or all wrong) ones."""
    given = answers if answers is not None else right_answers(lesson.quiz) if right else wrong_answers(lesson.quiz)
    return progress.record_attempt(
        user_id, lesson, grade(lesson.quiz, given), f"test-attempt-{next(_attempts)}", at=at, hints=hints,
    )


CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def login(client, username: str, password: str = PASSWORD) -> None:
    page = client.get("/connexion").get_data(as_text=True)
    response = client.post("/connexion", data={"csrf_token": CSRF.search(page).group(1), "username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def token_from(client, url: str = "/") -> str:
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def scan_card(client, token: str, follow: bool = False, enrol: bool = False, remember: bool = True):
    """What a phone does with a card: open its address, then press one of the page's buttons
    (« Oui, c'est mon téléphone » when enrol, else « Non, ouvrir seulement »)."""
    page = client.get(f"/connexion/carte/{token}")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    data = {"csrf_token": CSRF.search(html).group(1), "token": token, "enrol": "1" if enrol else "0"}
    if remember:
        data["remember"] = "y"
    return client.post("/connexion/carte", data=data, follow_redirects=follow)


def shown_password(html: str) -> str:
    """The password a page (or one of its cells) shows, one span a word: the text a person copies."""
    page = re.search(r'password-shown">(.*?)</dd>', html, re.S)
    shown = page.group(1) if page else html
    assert shown.count('<span class="password-word">') == 5  # grouped by word on screen and card
    text = re.sub(r"<[^>]+>", "", shown)
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+){3}-\d{3}", text), text
    return text


# « Montrez-moi » in a list of moves given to exercise().
SHOW = "montrez-moi"


def exercise(user_id: int, scenario, moves: list, at: datetime, every: int = 30) -> int:
    """A run of a practice scenario through app.progress, one move every `every` seconds: SHOW,
    an action label (sent with the values « Montrez-moi » would show, so a right button is right),
    or (label, values). The run's id."""
    run = progress.start_scenario_run(user_id, scenario, at=at)
    for n, move in enumerate(moves, start=1):
        moment = at + timedelta(seconds=every * n)
        if move == SHOW:
            progress.record_demonstration(user_id, run, scenario, run.step_count, at=moment)
            continue
        label, values = move if isinstance(move, tuple) else (move, demonstration(scenario, run.current_screen_id).values)
        progress.record_scenario_step(user_id, run, scenario, run.step_count, label, values, at=moment)
    return run.id
