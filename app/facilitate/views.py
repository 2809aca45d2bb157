"""Facilitator area: reachable by facilitators and admins only (participants get a 403).

Thin views: read the request, ask app.reports (reads, scoped to the groups this
person follows: anything else is a 404) or app.facilitate.accounts and .groups (writes), render.
An action that changes passwords, cards or access first shows what it will do to whom, and acts
only when that page's « Confirmer » is sent (confirmed=1).
"""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import access, audit, names, progress, reports, rules
from ..auth import phones, pictures, throttle
from ..auth.access import admin_required, staff_required
from ..auth.services import card_url
from ..content.review import lessons_to_review
from ..extensions import db
from ..formats import autonomy_level, day, short_day
from ..forms import form_status, id_number
from ..lesson_library import get_library, scenario_or_404
from ..models import AutonomyLevel, Role, User, utcnow
from ..timezone import local_day
from . import accounts, bp, follow_up, groups, workshops
from .accounts import AccountError
from .cards import platform_address, qr_svg
from .charts import horizontal_bars, vertical_bars
from .exports import csv_download
from .forms import (
    AssignForm,
    CardsForm,
    CategoryConsentForm,
    CategoryForm,
    CertificateForm,
    FacilitatorForm,
    FollowUpForm,
    GroupForm,
    GroupLadderForm,
    ImpactForm,
    ImportForm,
    LadderForm,
    ParticipantForm,
    PictureCodeForm,
    choices,
)


def _group_or_404(group_id: int):
    group = access.group_for(current_user, group_id)
    if group is None:
        abort(404)
    return group


def _learner_or_404(learner_id: int):
    learner = access.learner_for(current_user, learner_id)
    if learner is None:
        abort(404)
    return learner


def _account_or_404(user_id: int):
    """A learner this person follows; for an admin, also another staff member's account."""
    if current_user.role is Role.ADMIN:
        found = db.session.get(User, user_id)
        if found is not None and found.is_staff and found.id != current_user.id:
            return found
    return _learner_or_404(user_id)


def _account_page(account) -> str:
    return url_for("facilitate.admin") if account.is_staff else url_for("facilitate.learner", learner_id=account.id)


def _with_qr(cards: list[accounts.Card]) -> list[accounts.Card]:
    for card in cards:
        card.url = card_url(card.token)
        card.qr = qr_svg(card.url, _("Code QR de connexion de %(name)s", name=card.first_name))
    return cards


def _cards_page(cards, group, template="facilitate/cards.html", **context):
    return render_template(template, cards=_with_qr(cards), group=group, platform_address=platform_address(), **context)


def _confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def _confirm_page(title: str, message: str, people: list[str], button: str, cancel_url: str, fields: list[tuple[str, str]] = ()):
    """The step before an action that changes passwords, cards or access: nothing is changed yet."""
    return render_template(
        "facilitate/confirm.html", title=title, message=message, people=people, button=button, cancel_url=cancel_url,
        fields=fields,
    )


def _today() -> date:
    return local_day(utcnow())


# Home: who needs you ------------------------------------------------------------------------


@bp.get("/")
@staff_required
def home():
    return render_template(
        "facilitate/home.html",
        groups=reports.groups_overview(current_user),
        triage=reports.who_needs_you(current_user, get_library(), page=request.args.get("page", 1, type=int)),
        claims=reports.claims_to_confirm(current_user, get_library()),
        follow_up_form=FollowUpForm(),
        lessons_to_review=lessons_to_review(get_library(), date.today(), current_app.config["LESSON_REVIEW_MONTHS"]),
    )


# Where « J'ai rappelé » sends back to: the page it was sent from.
CALL_BACK_PAGES = {"accueil": "home", "groupe": "group", "fiche": "learner"}


@bp.post("/participants/<int:learner_id>/rappel")
@staff_required
def call_back(learner_id: int):
    found = _learner_or_404(learner_id)
    form = FollowUpForm()
    back = CALL_BACK_PAGES.get(request.form.get("retour", "fiche"))
    if back is None:
        abort(400)  # not a page of ours
    if form.validate_on_submit():
        try:
            follow_up.record_call(found, current_user, form.note.data)
        except AccountError as error:
            form.note.errors.append(str(error))
        else:
            flash(_("C'est noté : vous avez rappelé %(name)s.", name=found.display_name), "success")
            if back == "home":
                return redirect(url_for("facilitate.home"))
            if back == "group" and found.group_id:
                return redirect(url_for("facilitate.group", group_id=found.group_id))
            return redirect(url_for("facilitate.learner", learner_id=found.id))
    # The note is kept on the learner's page, with its message.
    return _learner_page(found, follow_up_form=form, status=422)


# A group ----------------------------------------------------------------------------------


@bp.get("/groupes/<int:group_id>")
@staff_required
def group(group_id: int):
    found = _group_or_404(group_id)
    library = get_library()
    grid = reports.group_progress(found.id, library)
    page = render_template(
        "facilitate/group.html", group=found, library=library, grid=grid, exercises=reports.group_exercises(found.id, library),
        needs=reports.needs_in({found.id: found.name}, grid, library), follow_up_form=FollowUpForm(),
        ladders=reports.group_ladders([row.id for row in grid.learners], library), levels=list(AutonomyLevel),
    )
    # Recorded once the page is built: the commit would otherwise reload what the page reads.
    audit.record_group_view(current_user, found.name, "tableau de progression")
    return page


@bp.route("/groupes/<int:group_id>/participants/nouveau", methods=["GET", "POST"])
@staff_required
def new_participant(group_id: int):
    found = _group_or_404(group_id)
    form = ParticipantForm()
    if form.validate_on_submit():
        try:
            card = accounts.create_participant(found, form.first_name.data, form.last_name.data or "", current_user)
        except AccountError as error:
            form.first_name.errors.append(str(error))
        else:
            return _cards_page([card], found, template="facilitate/created.html")
    return render_template("facilitate/new_participant.html", group=found, form=form), form_status(form)


@bp.route("/groupes/<int:group_id>/import", methods=["GET", "POST"])
@staff_required
def import_participants(group_id: int):
    found = _group_or_404(group_id)
    form = ImportForm()
    line_errors = []
    if form.validate_on_submit():
        if form.file.data:
            entries, line_errors = names.parse_csv_names(form.file.data.read())
        else:
            entries, line_errors = names.parse_pasted_names(form.names.data)
        if not line_errors:
            # Created here, before the page is drawn: a browser closed meanwhile loses nothing.
            try:
                created = accounts.create_participants(found, entries, current_user)
            except AccountError as error:
                flash(str(error), "error")
            else:
                return _cards_page(created, found, template="facilitate/created.html")
    return render_template("facilitate/import.html", group=found, form=form, line_errors=line_errors), form_status(form)


@bp.route("/groupes/<int:group_id>/cartes", methods=["GET", "POST"])
@staff_required
def cards(group_id: int):
    found = _group_or_404(group_id)
    learners = [u for u in reports.group_members(found.id) if u.active]
    form = CardsForm()
    form.learners.choices = choices((u.id, u.display_name) for u in learners)
    if request.method == "GET":
        # Nobody ticked, unless one person was asked for.
        form.learners.data = request.args.getlist("learner", type=id_number)
    if form.validate_on_submit():
        chosen = [u for u in learners if u.id in set(form.learners.data)]
        new_passwords = form.passwords.data == "new"
        if not _confirmed():
            if new_passwords:
                message = _("Ces personnes auront un nouveau mot de passe et un nouveau code QR : leur ancien mot de passe et leur ancienne carte ne marcheront plus.")
            else:
                message = _("Ces personnes gardent leur mot de passe. Leur ancienne carte (le code QR) ne marchera plus.")
            if form.picture_codes.data == "new":
                message += " " + _("Leur code en images change aussi : l'ancien ne marchera plus.")
            return _confirm_page(
                ngettext("Imprimer %(num)d carte ?", "Imprimer %(num)d cartes ?", len(chosen)), message, [u.display_name for u in chosen], _("Confirmer et préparer les cartes"),
                url_for("facilitate.cards", group_id=found.id),
                [("learners", str(u.id)) for u in chosen]
                + [("passwords", form.passwords.data), ("picture_codes", form.picture_codes.data)],
            )
        printed = accounts.print_cards(
            chosen, new_passwords=new_passwords, new_picture_codes=form.picture_codes.data == "new", actor=current_user,
        )
        return _cards_page(printed, found)
    return render_template("facilitate/cards_form.html", group=found, form=form), form_status(form)


@bp.route("/groupes/<int:group_id>/demarches", methods=["GET", "POST"])
@staff_required
def group_autonomy(group_id: int):
    """A rung on one procedure for several people of the group at once: nobody ticked at first,
    then a confirmation page."""
    found = _group_or_404(group_id)
    library = get_library()
    learners = [u for u in reports.group_members(found.id) if u.active]
    form = GroupLadderForm()
    form.procedure.choices = choices([("", _("Choisir…"))] + [(p.id, p.title) for p in library.procedures.values()])
    form.learners.choices = choices((u.id, u.display_name) for u in learners)
    if request.method == "GET":
        form.procedure.data = request.args.get("demarche", "")
    if form.validate_on_submit():
        chosen = [u for u in learners if u.id in set(form.learners.data)]
        procedure, level = library.procedures[form.procedure.data], AutonomyLevel(form.level.data)
        if not _confirmed():
            return _confirm_page(
                ngettext("Noter « %(level)s » pour %(num)d personne ?", "Noter « %(level)s » pour %(num)d personnes ?", len(chosen), level=autonomy_level(level)),
                _("Démarche : « %(title)s ». Une marche déjà notée pour une personne reste comme elle est.", title=procedure.title),
                [u.display_name for u in chosen], _("Confirmer : noter la marche"), url_for("facilitate.group_autonomy", group_id=found.id),
                [("learners", str(u.id)) for u in chosen] + [("procedure", procedure.id), ("level", level.value)],
            )
        written = progress.record_autonomy_for_many(chosen, procedure.id, level, current_user)
        reached = {step.user_id for step in written}
        flash(_ladder_done([u.display_name for u in chosen if u.id in reached], procedure, level, len(written)), "success")
        return redirect(url_for("facilitate.group", group_id=found.id))
    return render_template("facilitate/group_ladder.html", group=found, form=form), form_status(form)


def _group_export(group_id: int, name: str, what: str, header, rows):
    """A group's CSV, its download noted in the audit log (`rows` reads the group's records)."""
    found = _group_or_404(group_id)
    audit.record_group_view(current_user, found.name, what)
    filename = f"{name}-{names.username_base(found.name)}-{_today().isoformat()}.csv"
    return csv_download(filename, header, rows(found.id, get_library()))


@bp.get("/groupes/<int:group_id>/export.csv")
@staff_required
def export_group(group_id: int):
    return _group_export(group_id, "progression", "export CSV de la progression", reports.EXPORT_HEADER, reports.group_export_rows)


@bp.get("/groupes/<int:group_id>/participants.csv")
@staff_required
def export_people(group_id: int):
    return _group_export(group_id, "participants", "export CSV par personne", reports.PEOPLE_EXPORT_HEADER, reports.group_people_rows)


@bp.get("/groupes/<int:group_id>/lecons/<lesson_id>")
@staff_required
def lesson(group_id: int, lesson_id: str):
    found = _group_or_404(group_id)
    library = get_library()
    lesson_found = library.lesson(lesson_id)
    if lesson_found is None:
        abort(404)
    return render_template(
        "facilitate/lesson.html", group=found, lesson=lesson_found, module=library.module_of(lesson_found),
        stats=reports.lesson_stats(lesson_found, [found.id]), scenarios=library.scenarios_of_lesson(lesson_found.id),
    )


@bp.get("/groupes/<int:group_id>/exercices/<scenario_id>")
@staff_required
def scenario(group_id: int, scenario_id: str):
    found = _group_or_404(group_id)
    scenario_found = scenario_or_404(scenario_id)
    library = get_library()
    page = render_template(
        "facilitate/scenario.html", group=found, scenario=scenario_found, lesson=library.lesson(scenario_found.lesson_id),
        report=reports.scenario_report(found.id, scenario_found),
    )
    audit.record_group_view(current_user, found.name, f"exercice « {scenario_found.title} »")
    return page


# A learner --------------------------------------------------------------------------------


def _learner_page(found, follow_up_form=None, picture_form=None, category_form=None, status=200):
    library = get_library()
    category_form = category_form or CategoryConsentForm(formdata=None)
    category_form.category.choices = choices((c.id, c.label) for c in workshops.categories())
    attended = reports.attended_workshops(found.id, library)
    page = render_template(
        "facilitate/learner.html", learner=found, library=library,
        activity=reports.learner_activity(found.id, library), has_card=reports.has_card(found.id), EventKind=reports.EventKind,
        runs=reports.learner_runs(found.id, library),
        waiting=throttle.is_paused(found.username), phones=phones.phones_of(found.id), is_locked=phones.is_locked,
        picture_form=picture_form or PictureCodeForm(formdata=None),
        notes=follow_up.notes_about(found.id), follow_up_form=follow_up_form or FollowUpForm(),
        ladders=progress.learner_ladders(found.id), levels=list(AutonomyLevel),
        workshops=attended, workshop_seconds=reports.workshop_seconds(attended),
        consents=workshops.consents_of(found.id), category_form=category_form,
    )
    audit.record_view(current_user, found, "fiche du participant")
    return page, status


@bp.get("/participants/<int:learner_id>")
@staff_required
def learner(learner_id: int):
    return _learner_page(_learner_or_404(learner_id))


def _procedure_or_404(procedure_id: str):
    procedure = get_library().procedures.get(procedure_id)
    if procedure is None:
        abort(404)
    return procedure


def _ladder_done(names: list[str], procedure, level: AutonomyLevel, written: int) -> str:
    """What a facilitator reads once a rung is noted: who reached it, and who had it already."""
    words = {"level": autonomy_level(level), "title": procedure.title, "names": ", ".join(names)}
    if written == 0:
        return _("Déjà noté : « %(level)s » pour « %(title)s ». Rien ne change.", **words)
    return ngettext(
        "C'est noté : « %(level)s » pour « %(title)s », pour %(names)s.",
        "C'est noté : « %(level)s » pour « %(title)s », pour %(num)d personnes : %(names)s.",
        written, **words,
    )


@bp.post("/participants/<int:learner_id>/demarches/<procedure_id>")
@staff_required
def set_autonomy(learner_id: int, procedure_id: str):
    """A rung of the learner's ladder in two taps; « fait seule pour de vrai » confirms her claim."""
    found = _learner_or_404(learner_id)
    procedure = _procedure_or_404(procedure_id)
    form = LadderForm()
    if not form.validate_on_submit():
        flash(_("Choisissez une des 4 marches pour « %(title)s ».", title=procedure.title), "error")
        return _learner_page(found, status=422)
    level = AutonomyLevel(form.level.data)
    step = progress.record_autonomy(found, procedure.id, level, current_user)
    flash(_ladder_done([found.display_name], procedure, level, 1 if step else 0), "success")
    return redirect(url_for("facilitate.learner", learner_id=found.id, _anchor=f"demarche-{procedure.id}"))


@bp.get("/participants/<int:learner_id>/exercices/<scenario_id>")
@staff_required
def learner_scenario(learner_id: int, scenario_id: str):
    found = _learner_or_404(learner_id)
    scenario_found = scenario_or_404(scenario_id)
    page = render_template(
        "facilitate/learner_scenario.html", learner=found, scenario=scenario_found, StepKind=reports.StepKind,
        runs=reports.learner_runs(found.id, get_library(), scenario_id=scenario_found.id, with_steps=True),
    )
    audit.record_view(current_user, found, f"parcours de l'exercice « {scenario_found.title} »")
    return page


def _account_action(action, found, *args, done: str | None = None):
    """Run an account use case: (its result, None), or (None, the redirect back to the account's
    page) when it was refused, or done with `done` shown ("%(name)s" is the person's name)."""
    try:
        result = action(found, *args, actor=current_user)
    except AccountError as error:
        flash(str(error), "error")
        return None, redirect(_account_page(found))
    if done is None:
        return result, None
    flash(done % {"name": found.display_name}, "success")
    return result, redirect(_account_page(found))


@bp.post("/participants/<int:learner_id>/mot-de-passe")
@staff_required
def reset_password(learner_id: int):
    found = _account_or_404(learner_id)
    if not _confirmed():
        return _confirm_page(
            _("Nouveau mot de passe pour %(name)s ?", name=found.display_name),
            _("Son mot de passe actuel ne marchera plus. Le nouveau sera affiché une seule fois. Sa carte (le code QR) marche toujours."),
            [found.display_name], _("Confirmer : nouveau mot de passe"), _account_page(found),
        )
    password, refused = _account_action(accounts.reset_password, found)
    return refused or render_template("facilitate/password.html", learner=found, password=password, staff=found.is_staff, created=False)


def _form_flag(name: str) -> bool:
    """A yes/no button value: "1" or "0", anything else was not sent by our page."""
    value = request.form.get(name)
    if value not in ("0", "1"):
        abort(400)
    return value == "1"


@bp.post("/participants/<int:learner_id>/statut")
@staff_required
def set_active(learner_id: int):
    found = _account_or_404(learner_id)
    active = _form_flag("active")
    if not active and not _confirmed():
        return _confirm_page(
            _("Désactiver le compte de %(name)s ?", name=found.display_name),
            _("La personne ne pourra plus se connecter et sa carte ne marchera plus. Ce qu'elle a fait est gardé ; vous pourrez réactiver le compte."),
            [found.display_name], _("Confirmer : désactiver le compte"), _account_page(found),
            [("active", "0")],
        )
    done = _("Le compte de %(name)s est réactivé.") if active else _(
        "Le compte de %(name)s est désactivé : la personne ne peut plus se connecter.")
    return _account_action(accounts.set_active, found, active, done=done)[1]


@bp.post("/participants/<int:learner_id>/deconnexion")
@staff_required
def sign_out_everywhere(learner_id: int):
    done = _("Le compte de %(name)s est fermé sur tous ses téléphones et ordinateurs.")
    return _account_action(accounts.sign_out_everywhere, _account_or_404(learner_id), done=done)[1]


@bp.post("/participants/<int:learner_id>/attente")
@staff_required
def lift_wait(learner_id: int):
    done = _("%(name)s peut de nouveau essayer son mot de passe tout de suite.")
    return _account_action(accounts.lift_wait, _account_or_404(learner_id), done=done)[1]


@bp.post("/participants/<int:learner_id>/carte/revoquer")
@staff_required
def revoke_card(learner_id: int):
    found = _learner_or_404(learner_id)
    if not _confirmed():
        return _confirm_page(
            _("Arrêter la carte de %(name)s ?", name=found.display_name),
            _("Sa carte (le code QR) ne marchera plus. Son mot de passe marche toujours."),
            [found.display_name], _("Confirmer : arrêter la carte"), url_for("facilitate.learner", learner_id=found.id),
        )
    accounts.revoke_card(found, actor=current_user)
    flash(_("La carte de %(name)s ne marche plus. Imprimez-en une nouvelle si besoin.", name=found.display_name), "success")
    return redirect(url_for("facilitate.learner", learner_id=found.id))


@bp.post("/participants/<int:learner_id>/code-images")
@staff_required
def set_picture_code(learner_id: int):
    found = _learner_or_404(learner_id)
    form = PictureCodeForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(_("Choisissez une image dans chaque menu, ou tirez un code au hasard."), "error")
        return _learner_page(found, picture_form=form, status=422)
    ids = pictures.random_code() if form.random.data == "1" else [entry.data for entry in form.pictures]
    _done, refused = _account_action(accounts.set_picture_code, found, ids)
    return refused or render_template("facilitate/picture_code.html", learner=found, code=pictures.pictures_of(ids))


def _phone_action(learner_id: int, device_id: int, action, done: str):
    """Unlock or remove one of a learner's phones, then back to her page with `done` shown."""
    found = _learner_or_404(learner_id)
    device = phones.phone_of(found.id, device_id)
    if device is None:
        abort(404)
    action(device, actor=current_user)
    flash(done % {"name": found.display_name}, "success")
    return redirect(url_for("facilitate.learner", learner_id=found.id))


@bp.post("/participants/<int:learner_id>/telephones/<int:device_id>/debloquer")
@staff_required
def unlock_phone(learner_id: int, device_id: int):
    done = _("%(name)s peut de nouveau toucher son code en images sur ce téléphone.")
    return _phone_action(learner_id, device_id, phones.unlock, done)


@bp.post("/participants/<int:learner_id>/telephones/<int:device_id>/retirer")
@staff_required
def remove_phone(learner_id: int, device_id: int):
    done = _("Ce téléphone est retiré : il ne connaît plus %(name)s, et son compte est fermé partout.")
    return _phone_action(learner_id, device_id, phones.remove, done)


@bp.get("/participants/<int:learner_id>/attestation")
@staff_required
def certificate(learner_id: int):
    found = _learner_or_404(learner_id)
    library = get_library()
    form = CertificateForm(request.args)
    full_name = form.full_name.data.strip() if form.validate() and form.full_name.data else ""
    page = render_template(
        "facilitate/certificate.html", learner=found, library=library, form=form, name=full_name or found.display_name,
        activity=reports.learner_activity(found.id, library), today=_today(),
        workshop_seconds=reports.workshop_seconds(reports.attended_workshops(found.id, library)),
    )
    audit.record_view(current_user, found, "attestation de suivi")
    return page, 422 if form.errors else 200


# Impact report ----------------------------------------------------------------------------


def _impact_form():
    groups = access.visible_groups(current_user)
    form = ImpactForm(request.args)
    form.groups.choices = choices((g.id, g.name) for g in groups)
    if not request.args:
        form.start.data, form.end.data = ImpactForm.default_period(_today())
        form.groups.data = [g.id for g in groups if g.archived_at is None]
    return form


@bp.get("/rapport")
@staff_required
def impact():
    form = _impact_form()
    report = charts = None
    if form.validate():
        report = reports.impact_report(form.groups.data, form.start.data, form.end.data, get_library())
        charts = _impact_charts(report)
    status = form_status(form, sent=bool(request.args and form.errors))
    return render_template("facilitate/impact.html", form=form, report=report, charts=charts), status


def _impact_charts(report) -> dict:
    weeks = [(short_day(monday).rsplit(" ", 1)[0], count.shown) for monday, count in report.section("home").data["weeks"]]
    modules = [(title, lessons.shown) for title, lessons in report.section("lessons").data["modules"]]
    hidden = _("Une barre à zéro peut cacher moins de %(num)d personnes.", num=rules.REPORT_MIN_PEOPLE)
    return {
        "weeks": vertical_bars(
            _("Participants actifs par semaine"),
            _("Diagramme en barres : nombre de participants actifs chaque semaine, du %(start)s au %(end)s. Les chiffres sont dans le tableau à côté.",
              start=day(report.start), end=day(report.end)) + " " + hidden,
            weeks,
        ),
        "modules": horizontal_bars(
            _("Leçons terminées par module"),
            _("Diagramme en barres : nombre de leçons terminées dans chaque module pendant la période. Les chiffres sont dans le tableau à côté.")
            + " " + hidden,
            modules,
        ),
    }


@bp.get("/rapport.csv")
@staff_required
def impact_csv():
    form = _impact_form()
    if not form.validate():
        abort(400)
    report = reports.impact_report(form.groups.data, form.start.data, form.end.data, get_library())
    filename = f"bilan-{form.start.data.isoformat()}-{form.end.data.isoformat()}.csv"
    return csv_download(filename, reports.IMPACT_CSV_HEADER, reports.impact_rows(report))


# Admin: groups and facilitators -----------------------------------------------------------


def _admin_page(status=200, **forms):
    forms.setdefault("group_form", GroupForm(prefix="group"))
    forms.setdefault("facilitator_form", FacilitatorForm(prefix="facilitator"))
    forms.setdefault("category_form", CategoryForm(prefix="category"))
    staff = reports.staff_members()
    return render_template(
        "facilitate/admin.html", groups=access.visible_groups(current_user), facilitators=[u for u in staff if u.role is Role.FACILITATOR],
        assigned=reports.facilitators_by_group(), categories=workshops.categories(), **forms,
    ), status


@bp.get("/admin")
@admin_required
def admin():
    return _admin_page()


def _admin_create(form, field, create, done, form_name: str):
    """An admin form that creates one thing from one field: refused, its message is beside the field
    on the admin page shown again; done, `done(created)` is said on the admin page."""
    if form.validate_on_submit():
        try:
            created = create(field.data)
        except AccountError as error:
            field.errors.append(str(error))
        else:
            flash(done(created), "success")
            return redirect(url_for("facilitate.admin"))
    return _admin_page(422, **{form_name: form})


@bp.post("/admin/groupes")
@admin_required
def create_group():
    form = GroupForm(prefix="group")
    return _admin_create(form, form.name, groups.create_group,
                         lambda created: _("Le groupe « %(name)s » est créé.", name=created.name), "group_form")


@bp.post("/admin/groupes/<int:group_id>/renommer")
@admin_required
def rename_group(group_id: int):
    found = _group_or_404(group_id)
    form = GroupForm(prefix=f"rename-{found.id}", meta={"csrf": False})  # CSRFProtect checks every POST
    if form.validate_on_submit():
        try:
            groups.rename_group(found, form.name.data)
        except AccountError as error:
            form.name.errors.append(str(error))
        else:
            flash(_("Le groupe s'appelle maintenant « %(name)s ».", name=found.name), "success")
            return redirect(url_for("facilitate.admin"))
    return _admin_page(422, rename_form=form, rename_id=found.id)


@bp.post("/admin/groupes/<int:group_id>/archiver")
@admin_required
def archive_group(group_id: int):
    found = _group_or_404(group_id)
    archived = _form_flag("archived")
    groups.set_group_archived(found, archived)
    flash(_("Le groupe « %(name)s » est archivé.", name=found.name) if archived
          else _("Le groupe « %(name)s » est de nouveau actif.", name=found.name), "success")
    return redirect(url_for("facilitate.admin"))


@bp.post("/admin/groupes/<int:group_id>/animateurs")
@admin_required
def assign_facilitators(group_id: int):
    found = _group_or_404(group_id)
    form = AssignForm(prefix=f"assign-{found.id}", meta={"csrf": False})  # CSRFProtect checks every POST
    form.facilitators.choices = choices((u.id, u.display_name) for u in reports.staff_members() if u.role is Role.FACILITATOR)
    if form.validate_on_submit():
        groups.assign_facilitators(found, form.facilitators.data)
        flash(_("L'équipe du groupe « %(name)s » est enregistrée.", name=found.name), "success")
        return redirect(url_for("facilitate.admin"))
    flash(_("Ce choix n'a pas pu être enregistré. Réessayez."), "error")
    return _admin_page(422)


@bp.post("/admin/animateurs")
@admin_required
def create_facilitator():
    form = FacilitatorForm(prefix="facilitator")
    if form.validate_on_submit():
        try:
            user, password = accounts.create_facilitator(form.username.data, form.first_name.data, actor=current_user)
        except AccountError as error:
            form.username.errors.append(str(error))
        else:
            return render_template("facilitate/password.html", learner=user, password=password, staff=True, created=True)
    return _admin_page(422, facilitator_form=form)
