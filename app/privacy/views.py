"""RGPD pages: the privacy notice, a learner's own data, the admin's requests and audit log."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import audit
from ..auth import phones
from ..auth import services as auth_services
from ..auth.access import admin_required, write_limit
from ..extensions import db
from ..facilitate.exports import csv_download
from ..facilitate.workshops import consents_of
from ..facilitate.workshops import remove_category as remove_consent
from ..forms import id_number
from ..lesson_library import get_library
from ..models import Role, User
from . import bp, services


@bp.get("/confidentialite")
def notice():
    return render_template("privacy/notice.html", retention_months=current_app.config["PRIVACY_RETENTION_MONTHS"])


@bp.get("/mes-donnees")
@login_required
def my_data():
    data = services.personal_data(current_user, get_library())
    return render_template(
        "privacy/my_data.html", data=data, form=FlaskForm(), audit_lines=audit.about(current_user),
        phones=phones.phones_of(current_user.id), this_phone=phones.of_user_here(current_user),
        consents=consents_of(current_user.id),
    )


@bp.post("/mes-donnees/telephones/<int:device_id>/retirer")
@login_required
def remove_phone(device_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    device = phones.phone_of(current_user.id, device_id)
    if device is None:
        abort(404)
    this_phone = phones.here(device_id) is not None
    user = current_user._get_current_object()
    phones.remove(device, actor=user)
    if this_phone:  # her sessions ended, this one too
        auth_services.sign_out(user)
        flash(_("Ce téléphone est retiré : il ne vous connaît plus. Votre compte est fermé sur tous vos téléphones."), "info")
        return redirect(url_for("auth.login"))
    # Her sessions ended everywhere; this one, where she asked, goes on.
    auth_services.sign_in(user, remember=current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies)
    flash(_("Ce téléphone est retiré : il ne vous connaît plus. Sur vos autres téléphones, reconnectez-vous."), "success")
    return redirect(url_for("privacy.my_data"))


@bp.post("/mes-donnees/categories/<int:category_id>/retirer")
@login_required
def remove_category(category_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    consent = next((c for c in consents_of(current_user.id) if c.category_id == category_id), None)
    if consent is None:
        abort(404)
    label = consent.category.label
    remove_consent(consent, current_user._get_current_object())
    flash(_("C'est fait : vous n'êtes plus comptée dans « %(label)s ».", label=label), "success")
    return redirect(url_for("privacy.my_data"))


@bp.get("/mes-donnees/mes-donnees.json")
@login_required
def my_data_json():
    data = services.personal_data(current_user, get_library())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers=_attachment("mes-donnees.json"))


@bp.get("/mes-donnees/mes-donnees.csv")
@login_required
def my_data_csv():
    data = services.personal_data(current_user, get_library())
    return Response(
        services.personal_data_csv(data), mimetype="text/csv; charset=utf-8", headers=_attachment("mes-donnees.csv")
    )


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


@bp.get("/mes-donnees/suppression")
@login_required
def confirm_deletion():
    """Asked before anything happens: what a deletion does, with a way back."""
    return render_template("privacy/confirm_deletion.html", form=FlaskForm())


@bp.post("/mes-donnees/suppression")
@login_required
@write_limit
def request_deletion():
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.request_deletion(current_user)
    flash(_("Votre demande est enregistrée. Un responsable va supprimer vos données et vous prévenir."), "success")
    return redirect(url_for("privacy.my_data"))


@bp.post("/mes-donnees/suppression/annuler")
@login_required
def cancel_deletion():
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.cancel_deletion(current_user)
    flash(_("Votre demande de suppression est annulée. Vos données restent sur la plateforme."), "success")
    return redirect(url_for("privacy.my_data"))


@bp.get("/animation/confidentialite")
@admin_required
def admin():
    number = request.args.get("page", 1, type=id_number)
    lines, more = audit.page(number)
    return render_template(
        "privacy/admin.html", requests=services.deletion_requests(), lines=lines, page=number, more=more, form=FlaskForm(),
    )


@bp.get("/animation/confidentialite/journal.csv")
@admin_required
def audit_csv():
    return csv_download("journal-des-consultations.csv", audit.EXPORT_HEADER, audit.export_rows())


def _learner_or_404(user_id: int) -> User:
    """Whoever asked for deletion, a participant or a member of staff; never the admin acting."""
    user = db.session.get(User, user_id)
    if user is None or user.id == current_user.id or (user.role is not Role.PARTICIPANT and user.deletion_requested_at is None):
        abort(404)
    return user


# What each admin action does to a learner, and what the admin is told.
ACTIONS = {
    "anonymiser": (services.anonymise, _l("Le compte de %(name)s est anonymisé. Ses résultats restent dans les chiffres.")),
    "supprimer": (services.delete_learner, _l("Le compte de %(name)s et toutes ses données sont supprimés.")),
}


@bp.post("/animation/confidentialite/<int:user_id>/<any(anonymiser, supprimer):action>")
@admin_required
def act_on_learner(user_id: int, action: str):
    user = _learner_or_404(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    apply, message = ACTIONS[action]
    name = user.display_name
    apply(user, actor=current_user)
    flash(str(message) % {"name": name}, "success")
    return redirect(url_for("privacy.admin"))
