"""`flask privacy purge`: anonymise accounts inactive for too long."""

import click
from flask import current_app
from flask.cli import AppGroup

from .. import audit
from ..auth import throttle
from ..extensions import db
from . import services

privacy_cli = AppGroup("privacy", help="Données personnelles (RGPD).")


@privacy_cli.command("purge")
@click.option("--months", type=click.IntRange(min=1), help="Mois d'inactivité (par défaut PRIVACY_RETENTION_MONTHS).")
def purge(months: int | None) -> None:
    """Anonymise participants inactive for MONTHS months, delete audit lines past their retention, report."""
    months = months or current_app.config["PRIVACY_RETENTION_MONTHS"]
    report = services.purge_inactive(months)
    click.echo(f"Comptes inactifs depuis le {report.cutoff:%d/%m/%Y} ({months} mois) : {len(report.anonymised)} anonymisé(s).")
    for label in report.anonymised:
        click.echo(f"  anonymisé : {label}")
    audit_months = current_app.config["AUDIT_RETENTION_MONTHS"]
    removed = audit.purge_older_than(audit_months)
    throttle.forget_stale()
    db.session.commit()
    services.checkpoint()
    click.echo(f"Journal des consultations : {removed} ligne(s) de plus de {audit_months} mois supprimée(s).")
