"""Workshops (a group's list, the form that ticks who came) and participant categories.

Thin views as in views.py: access through app.access (a facilitator only for their groups, else
404), writes in app.facilitate.workshops, a form refused is shown again with what was typed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import reports
from ..auth.access import admin_required, staff_required
from ..extensions import db
from ..formats import day
from ..forms import form_status
from ..lesson_library import get_library
from ..models import CategoryConsent, ParticipantCategory, Workshop
from . import bp, workshops
from .accounts import AccountError
from .forms import CategoryConsentForm, CategoryForm, WorkshopForm, choices
from .views import _admin_create, _confirm_page, _confirmed, _group_or_404, _learner_or_404, _learner_page, _today


def _workshop_or_404(workshop_id: int) -> Workshop:
    found = db.session.get(Workshop, workshop_id)
    if found is None:
        abort(404)
    _group_or_404(found.group_id)  # a facilitator of another group: 404 as well
    return found


def _module_title(module_id: str) -> str:
    module = get_library().module(module_id)
    return module.title if module else module_id


@bp.get("/groupes/<int:group_id>/ateliers")
@staff_required
def workshops_list(group_id: int):
    found = _group_or_404(group_id)
    return render_template(
        "facilitate/workshops.html", group=found, workshops=reports.group_workshops(found.id, get_library())
    )


def _workshop_page(group, workshop: Workshop | None):
    """The one page that records a workshop: date, module, length, place, and who came."""
    members = [
        u
        for u in reports.group_members(group.id)
        if u.active or (workshop and u.id in workshops.attendee_ids(workshop.id))
    ]
    form = WorkshopForm(obj=None)
    form.module.choices = choices((m.id, m.title) for m in get_library().modules)
    form.attendees.choices = choices((u.id, u.display_name) for u in members)
    if request.method == "GET":
        if workshop is None:
            form.day.data = _today()
        else:
            form.day.data, form.module.data, form.minutes.data = workshop.day, workshop.module_id, workshop.minutes
            form.place.data, form.attendees.data = workshop.place, workshops.attendee_ids(workshop.id)
    elif request.form.get("tout_le_monde") == "1":
        # « Tout le monde était là » ticks every box and shows the page again: nothing saved yet.
        if not form.csrf_token.validate(form):
            abort(400)
        form.attendees.data = [u.id for u in members]
        return render_template(
            "facilitate/workshop_form.html", group=group, workshop=workshop, form=form, all_ticked=True
        )
    elif form.validate_on_submit():
        try:
            workshops.save_workshop(
                workshop,
                group,
                module_id=form.module.data,
                module_title=_module_title(form.module.data),
                day_held=form.day.data,
                minutes=form.minutes.data,
                place=form.place.data or "",
                attendee_ids=form.attendees.data,
                actor=current_user,
            )
        except AccountError as error:
            form.attendees.errors.append(str(error))
        else:
            flash(
                ngettext(
                    "L'atelier du %(day)s est enregistré : %(num)d présent.",
                    "L'atelier du %(day)s est enregistré : %(num)d présents.",
                    len(form.attendees.data),
                    day=day(form.day.data),
                ),
                "success",
            )
            return redirect(url_for("facilitate.workshops_list", group_id=group.id))
    return render_template("facilitate/workshop_form.html", group=group, workshop=workshop, form=form), form_status(
        form
    )


@bp.route("/groupes/<int:group_id>/ateliers/nouveau", methods=["GET", "POST"])
@staff_required
def new_workshop(group_id: int):
    return _workshop_page(_group_or_404(group_id), None)


@bp.route("/ateliers/<int:workshop_id>", methods=["GET", "POST"])
@staff_required
def edit_workshop(workshop_id: int):
    found = _workshop_or_404(workshop_id)
    return _workshop_page(found.group, found)


@bp.post("/ateliers/<int:workshop_id>/supprimer")
@staff_required
def delete_workshop(workshop_id: int):
    found = _workshop_or_404(workshop_id)
    title = _module_title(found.module_id)
    back = url_for("facilitate.workshops_list", group_id=found.group_id)
    if not _confirmed():
        came = [
            u.display_name
            for u in reports.group_members(found.group_id)
            if u.id in set(workshops.attendee_ids(found.id))
        ]
        return _confirm_page(
            _("Supprimer l'atelier du %(day)s ?", day=day(found.day)),
            _(
                "L'atelier « %(module)s » et la liste des présents seront effacés. Le bilan ne les comptera plus.",
                module=title,
            ),
            came,
            _("Confirmer : supprimer l'atelier"),
            back,
        )
    workshops.delete_workshop(found, title, current_user)
    flash(_("L'atelier est supprimé."), "success")
    return redirect(back)


# Participant categories -------------------------------------------------------------------


@bp.post("/admin/categories")
@admin_required
def create_category():
    form = CategoryForm(prefix="category")
    return _admin_create(
        form,
        form.label,
        workshops.create_category,
        lambda created: _("La catégorie « %(label)s » est créée.", label=created.label),
        "category_form",
    )


@bp.post("/participants/<int:learner_id>/categories")
@staff_required
def record_category(learner_id: int):
    found = _learner_or_404(learner_id)
    form = CategoryConsentForm()
    form.category.choices = choices((c.id, c.label) for c in workshops.categories())
    if form.validate_on_submit():
        try:
            consent = workshops.record_category(
                found, db.session.get(ParticipantCategory, form.category.data), form.consent.data, current_user
            )
        except AccountError as error:
            form.consent.errors.append(str(error))
        else:
            flash(
                _(
                    "C'est noté : %(name)s est comptée dans « %(label)s ».",
                    name=found.display_name,
                    label=consent.category.label,
                ),
                "success",
            )
            return redirect(url_for("facilitate.learner", learner_id=found.id))
    return _learner_page(found, category_form=form, status=422)


@bp.post("/participants/<int:learner_id>/categories/<int:category_id>/retirer")
@staff_required
def remove_category(learner_id: int, category_id: int):
    found = _learner_or_404(learner_id)
    consent = db.session.execute(
        db.select(CategoryConsent).filter_by(user_id=found.id, category_id=category_id)
    ).scalar_one_or_none()
    if consent is None:
        abort(404)
    workshops.remove_category(consent, current_user)
    flash(_("La catégorie est retirée pour %(name)s.", name=found.display_name), "success")
    return redirect(url_for("facilitate.learner", learner_id=found.id))
