"""`flask backup`: a consistent copy of the SQLite database while the platform runs."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url


def backup_sqlite(database: Path, target: Path) -> Path:
    """SQLite's online backup API: pages are copied under the database's own locks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


@click.command("backup")
@click.option("--to", "target", type=click.Path(path_type=Path), help="Fichier de sauvegarde à écrire.")
@with_appcontext
def backup_command(target: Path | None) -> None:
    """Copy the SQLite database into instance/backups/ (see docs/deploy.md for PostgreSQL)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "Cette commande sauvegarde une base SQLite. Pour PostgreSQL, utilisez pg_dump (voir docs/deploy.md)."
        )
    database = Path(url.database)
    if not database.exists():
        raise click.ClickException(f"Base introuvable : {database}")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target or Path(current_app.instance_path) / "backups" / f"pasapas-{stamp}.sqlite"
    backup_sqlite(database, target)
    click.echo(f"Sauvegarde écrite : {target} ({target.stat().st_size // 1024} Ko)")
