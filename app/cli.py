"""Flask commands: lessons check, demo accounts."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import Migrate
from sqlalchemy import func, insert, select

from config import BASE_DIR

from . import hashing, progress
from .backup import backup_command
from .content import grade, load_library
from .content.readability import LONG_SENTENCE_WORDS, MAX_AVERAGE_WORDS
from .content.review import review_warnings
from .extensions import db
from .facilitate.accounts import AccountError, create_facilitator
from .lesson_library import get_library
from .models import (
    AutonomyLevel,
    Group,
    KnowHow,
    LessonProgress,
    Role,
    SelfAssessmentMoment,
    User,
    Workshop,
    WorkshopAttendance,
    group_facilitator,
    utcnow,
)
from .privacy.cli import privacy_cli
from .timezone import local_day
from .translations import translations_cli

lessons_cli = AppGroup("lessons", help="Leçons : vérifier les fichiers.")
demo_cli = AppGroup("demo", help="Données de démonstration.")
admin_cli = AppGroup("admin", help="Comptes d'administration.")
progress_cli = AppGroup("progress", help="Le résumé par leçon, tiré du journal d'activité.")

DEMO_GROUP = "Groupe démo"
DEMO_ACCOUNTS = (
    # username, first name, role, in the demo group
    ("admin", "Admin", Role.ADMIN, False),
    ("animatrice", "Nadia", Role.FACILITATOR, True),
    ("amina", "Amina", Role.PARTICIPANT, True),
    ("josiane", "Josiane", Role.PARTICIPANT, True),
)


@lessons_cli.command("check")
@click.option("--dir", "folder", type=click.Path(path_type=Path), help="Dossier des leçons (par défaut LESSONS_DIR).")
def check_lessons(folder: Path | None) -> None:
    """Check every lesson: readability figures, warnings, then errors; exit 1 on an error only."""
    library = load_library(folder or Path(current_app.config["LESSONS_DIR"]))
    warnings = library.warnings + review_warnings(library, date.today(), current_app.config["LESSON_REVIEW_MONTHS"])
    hard_to_read = []
    for lesson in library.ordered_lessons:
        figures = lesson.readability
        click.echo(
            f"{lesson.path.relative_to(library.root)}: {figures.average:.1f} mots par phrase, "
            f"{len(figures.long_sentences)} phrase(s) de plus de {LONG_SENTENCE_WORDS} mots"
        )
        for sentence in figures.long_sentences:
            click.echo(f"    trop longue : {sentence}")
        if figures.average > MAX_AVERAGE_WORDS:
            hard_to_read.append(lesson)
    for warning in sorted(warnings, key=lambda w: (str(w.path), w.line)):
        click.echo(f"{warning.path}:{warning.line}: attention : {warning.message}")
    for lesson in hard_to_read:
        click.echo(
            f"{lesson.path}:1: phrases trop longues en moyenne "
            f"({lesson.readability.average:.1f} mots, au plus {MAX_AVERAGE_WORDS})",
            err=True,
        )
    for problem in library.problems:
        click.echo(str(problem), err=True)
    if warnings:
        click.echo(f"{len(warnings)} avertissement{'s' if len(warnings) > 1 else ''} : la leçon reste affichée")
    click.echo(f"{len(library.scenarios)} exercice{'s' if len(library.scenarios) > 1 else ''} pratique{'s' if len(library.scenarios) > 1 else ''}")
    click.echo(library.summary())
    if library.problems or hard_to_read:
        raise SystemExit(1)


def create_demo_accounts() -> list[tuple[str, str, str]]:
    """Create the demo group and accounts when the database has no user yet."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return []
    group = Group(name=DEMO_GROUP)
    db.session.add(group)
    created, group_staff = [], []
    for username, first_name, role, in_group in DEMO_ACCOUNTS:
        is_staff = role is not Role.PARTICIPANT
        user = User(username=username, first_name=first_name, role=role, group=group if in_group else None)
        password = f"{username}-demo"
        user.set_password(password)
        db.session.add(user)
        created.append((username, password, role.value))
        if in_group and is_staff:
            group_staff.append(user)
    db.session.flush()
    # The animatrice follows the demo group (facilitators see only their groups).
    for user in group_staff:
        db.session.execute(insert(group_facilitator).values(group_id=group.id, user_id=user.id))
    db.session.commit()
    return created


@demo_cli.command("create")
def create_demo() -> None:
    """Create demo accounts if the database has no user (never in production)."""
    if not current_app.config["CREATE_DEMO_ACCOUNTS"]:
        raise click.ClickException("Comptes de démonstration refusés en production.")
    created = create_demo_accounts()
    if not created:
        click.echo("La base a déjà des comptes : aucun compte de démonstration créé.")
        return
    click.echo(f"Comptes de démonstration ({DEMO_GROUP}) :")
    for username, password, role in created:
        click.echo(f"  {role:<12} identifiant : {username:<11} mot de passe : {password}")



def create_demo_activity(now: datetime | None = None) -> int:
    """Some progress for the demo participants over the last days, written through app.progress;
    0 if they already have some."""
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(("amina", "josiane"))))}
    if len(users) < 2 or db.session.scalar(
        select(func.count()).select_from(LessonProgress).where(LessonProgress.user_id.in_([u.id for u in users.values()]))
    ):
        return 0
    now = now or utcnow()
    lessons = get_library().ordered_lessons
    right = lambda quiz: {q.key: sorted(q.right_keys) for q in quiz.questions}  # noqa: E731
    wrong = lambda quiz: {q.key: sorted({c.key for c in q.choices} - q.right_keys)[:1] for q in quiz.questions}  # noqa: E731
    written = 0
    first_module = get_library().module_of(lessons[0]) if lessons else None
    if first_module is not None and first_module.self_assessment:  # both said what they knew before starting
        for username, answer in (("amina", KnowHow.A_LITTLE), ("josiane", KnowHow.NOT_YET)):
            progress.record_self_assessment(
                users[username].id, first_module, SelfAssessmentMoment.START,
                dict.fromkeys(range(len(first_module.self_assessment)), answer), at=now - timedelta(days=4, minutes=40),
            )
    for day, lesson in enumerate(lessons[:4]):  # Amina is moving on well: a lesson a day, 4 to 5 minutes each
        opened = now - timedelta(days=4 - day, minutes=30)
        progress.record_visit(users["amina"].id, lesson.id, at=opened)
        if lesson.quiz:
            progress.record_attempt(
                users["amina"].id, lesson, grade(lesson.quiz, right(lesson.quiz)), f"demo-amina-{lesson.id}"[:64],
                at=opened + timedelta(minutes=4),
            )
        else:
            progress.complete_lesson(users["amina"].id, lesson, at=opened + timedelta(minutes=5))
        written += 1
    quiz_lesson = next((lesson for lesson in lessons if lesson.quiz), None)
    if quiz_lesson is not None:  # Josiane is stuck on a quiz and asks to be called back
        opened = now - timedelta(hours=2)
        progress.record_visit(users["josiane"].id, quiz_lesson.id, at=opened)
        for number in (1, 2):
            progress.record_attempt(
                users["josiane"].id, quiz_lesson, grade(quiz_lesson.quiz, wrong(quiz_lesson.quiz)),
                f"demo-josiane-{number}-{quiz_lesson.id}"[:64], at=opened + timedelta(minutes=3 * number),
            )
        progress.request_help(
            users["josiane"].id, quiz_lesson.id, "Je ne comprends pas la question 1.", at=opened + timedelta(minutes=8)
        )
        written += 1
    return written + _demo_ladder(users, now)


def _demo_ladder(users: dict[str, User], now: datetime) -> int:
    """Amina climbs the ladder of the first procedure and says she did it for real (« à confirmer »
    for Nadia); Josiane had it done for her. Written through app.progress."""
    procedures = list(get_library().procedures)
    nadia = db.session.scalar(select(User).filter_by(username="animatrice"))
    if not procedures or nadia is None:
        return 0
    first = procedures[0]
    progress.record_autonomy(users["amina"], first, AutonomyLevel.DONE_WITH_ME, nadia, at=now - timedelta(days=3))
    progress.record_autonomy(users["amina"], first, AutonomyLevel.ALONE_IN_EXERCISE, None, at=now - timedelta(days=2))
    progress.claim_done_for_real(users["amina"], first, at=now - timedelta(hours=5))
    progress.record_autonomy(users["josiane"], first, AutonomyLevel.DONE_FOR_ME, nadia, at=now - timedelta(days=1))
    return 1


# The demo's workshops: four groups, each fifteen workshops of three hours over the last fifteen
# weeks (180 hours in all), through the six modules in order (28 hours each in the curriculum).
DEMO_WORKSHOP_GROUPS = {
    "Groupe du lundi": ("Fatou", "Malika", "Rose", "Yasmina", "Chantal", "Leïla", "Nadège", "Sylvie"),
    "Groupe du mercredi": ("Aïcha", "Brigitte", "Djamila", "Ginette", "Hawa", "Ines", "Karima", "Lucie"),
    "Groupe du jeudi": ("Mariam", "Nicole", "Odile", "Samia", "Thérèse", "Awa", "Zohra", "Farida"),
}
DEMO_WORKSHOPS_PER_GROUP = 15
DEMO_WORKSHOP_MINUTES = 180


def create_demo_workshops(today: date) -> int:
    """The demo's four groups and their workshops (who came: most people, most weeks); 0 if some exist."""
    if db.session.scalar(select(func.count()).select_from(Workshop)):
        return 0
    demo_group = db.session.scalar(select(Group).filter_by(name=DEMO_GROUP))
    animatrice = db.session.scalar(select(User).filter_by(username="animatrice"))
    if demo_group is None or animatrice is None:
        return 0
    unusable = hashing.hash_password(secrets.token_urlsafe(32))  # these people never sign in: one hash for all
    groups = [demo_group]
    for group_number, (name, first_names) in enumerate(DEMO_WORKSHOP_GROUPS.items(), start=2):
        group = db.session.scalar(select(Group).filter_by(name=name))
        if group is None:  # a new group and its people (one kept from an earlier demo keeps its own)
            group = Group(name=name)
            db.session.add(group)
            db.session.flush()
            for number, first_name in enumerate(first_names, start=1):
                db.session.add(User(username=f"demo{group_number}-{number}", first_name=first_name,
                                    role=Role.PARTICIPANT, group_id=group.id, password_hash=unusable))
            db.session.execute(insert(group_facilitator).values(group_id=group.id, user_id=animatrice.id))
        groups.append(group)
    db.session.flush()
    modules = [m.id for m in get_library().modules]
    written = 0
    for group_number, group in enumerate(groups):
        members = list(db.session.scalars(select(User.id).where(User.group_id == group.id, User.role == Role.PARTICIPANT)))
        for week in range(DEMO_WORKSHOPS_PER_GROUP):
            workshop = Workshop(
                group_id=group.id, module_id=modules[week * len(modules) // DEMO_WORKSHOPS_PER_GROUP],
                day=today - timedelta(weeks=DEMO_WORKSHOPS_PER_GROUP - week, days=-group_number),
                minutes=DEMO_WORKSHOP_MINUTES, place="Centre social des Ulis", created_by_id=animatrice.id,
            )
            db.session.add(workshop)
            db.session.flush()
            # Someone misses a workshop now and then, never the same week for everyone.
            came = [m for i, m in enumerate(members) if (i + week + group_number) % 5 or len(members) < 3]
            db.session.add_all(WorkshopAttendance(workshop_id=workshop.id, user_id=m) for m in came)
            written += 1
    db.session.commit()
    return written


@progress_cli.command("rebuild")
def rebuild_lesson_progress() -> None:
    """Recompute each learner's per-lesson summary from the activity log and the quiz attempts."""
    rows = progress.rebuild_lesson_progress()
    click.echo(f"Résumé par leçon recalculé à partir du journal d'activité : {rows} lignes.")


@demo_cli.command("activity")
def demo_activity() -> None:
    """Add sample progress for the demo participants, so the facilitator pages show something."""
    if not current_app.config["CREATE_DEMO_ACCOUNTS"]:
        raise click.ClickException("Données de démonstration refusées en production.")
    if create_demo_activity():
        click.echo("Activité de démonstration ajoutée pour amina et josiane (voir l'espace animation).")
    else:
        click.echo("Rien à ajouter : les comptes de démonstration manquent ou ont déjà une activité.")
    workshops = create_demo_workshops(local_day(utcnow()))
    if workshops:
        click.echo(f"{workshops} ateliers de démonstration ajoutés dans 4 groupes ({workshops * DEMO_WORKSHOP_MINUTES // 60} heures).")


@admin_cli.command("create")
@click.argument("username")
@click.argument("first_name")
def create_admin(username: str, first_name: str) -> None:
    """Create an admin account and print its generated password (the first admin of a new platform)."""
    try:
        user, password = create_facilitator(username, first_name, actor=None, role=Role.ADMIN)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Compte administrateur créé. Identifiant : {user.username}  Mot de passe : {password}")


def init_app(app: Flask) -> None:
    # `flask db upgrade` and the other migration commands.
    Migrate(render_as_batch=True, compare_type=True).init_app(app, db, directory=str(BASE_DIR / "migrations"))
    app.cli.add_command(lessons_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(admin_cli)
    app.cli.add_command(progress_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(translations_cli)
