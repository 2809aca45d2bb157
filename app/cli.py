"""Flask commands: lessons check, demo accounts."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from .content import load_library
from .content.readability import LONG_SENTENCE_WORDS, MAX_AVERAGE_WORDS
from .extensions import db
from .models import Group, Role, User

lessons_cli = AppGroup("lessons", help="Leçons : vérifier les fichiers.")
demo_cli = AppGroup("demo", help="Données de démonstration.")

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
    """Check every lesson; print the problems, or a summary and readability figures."""
    library = load_library(folder or Path(current_app.config["LESSONS_DIR"]))
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
    for lesson in hard_to_read:
        click.echo(
            f"{lesson.path}:1: phrases trop longues en moyenne "
            f"({lesson.readability.average:.1f} mots, au plus {MAX_AVERAGE_WORDS})",
            err=True,
        )
    for problem in library.problems:
        click.echo(str(problem), err=True)
    click.echo(library.summary())
    if library.problems or hard_to_read:
        raise SystemExit(1)


def create_demo_accounts() -> list[tuple[str, str, str]]:
    """Create the demo group and accounts when the database has no user yet."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return []
    group = Group(name=DEMO_GROUP)
    db.session.add(group)
    created = []
    for username, first_name, role, in_group in DEMO_ACCOUNTS:
        user = User(username=username, first_name=first_name, role=role, group=group if in_group else None)
        password = f"{username}-demo"
        user.set_password(password)
        db.session.add(user)
        created.append((username, password, role.value))
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


def init_app(app: Flask) -> None:
    from .backup import backup_command
    from .privacy.cli import privacy_cli

    app.cli.add_command(lessons_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(privacy_cli)
