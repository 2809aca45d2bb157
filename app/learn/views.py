"""Participant pages: thin views over content (lessons, grading) and progress."""

from __future__ import annotations

import re
import uuid

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import progress, reports
from ..assets import file_response
from ..auth.access import write_limit
from ..content import AnswerError, MissingAnswers, grade, score_needed
from ..content.answers import HINT_BUTTON, AnswerFields, read_answers, read_hints, shown_steps
from ..content.search import MAX_QUERY_LENGTH, search
from ..formats import KNOW_HOW_WORDS, MOMENT_WORDS
from ..lesson_library import get_library
from ..models import KnowHow, SelfAssessmentMoment
from . import bp
from .forms import HelpForm, read_self_assessment, statement_field

LESSON_MEDIA_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# "opened_at" came with pages kept on phones before the server measured time: accepted, ignored.
FORM_FIELDS = {"csrf_token", "client_id", "opened_at"}


def _lesson_or_404(lesson_id: str):
    lesson = get_library().lesson(lesson_id)
    if lesson is None:
        abort(404)
    return lesson


def _module_totals(modules, states) -> dict[str, dict[str, int]]:
    """Per module: lessons done and minutes spent."""
    totals = {}
    for module in modules:
        module_states = [states.get(lesson.id, progress.NOT_STARTED) for lesson in module.lessons]
        totals[module.id] = {
            "done": sum(state.done for state in module_states),
            "minutes": round(sum(state.seconds_spent for state in module_states) / 60),
        }
    return totals


@bp.get("/")
@login_required
def home():
    library = get_library()
    states = progress.learner_states(current_user.id)
    next_id = progress.lesson_to_continue([lesson.id for lesson in library.ordered_lessons], states)
    next_lesson = library.lesson(next_id) if next_id else None
    query = request.args.get("q", "").strip()[:MAX_QUERY_LENGTH]
    return render_template(
        "learn/home.html",
        modules=library.modules,
        totals=_module_totals(library.modules, states),
        next_lesson=next_lesson,
        asked=progress.open_help_request(current_user.id, next_lesson.id) if next_lesson else None,
        query=query,
        found=search(library, query) if query else None,
        library=library,
        query_max=MAX_QUERY_LENGTH,
    )


@bp.get("/modules/<module_id>")
@login_required
def module(module_id: str):
    library = get_library()
    found = library.module(module_id)
    if found is None:
        abort(404)
    states = progress.learner_states(current_user.id)
    return render_template(
        "learn/module.html", module=found, states=states, exercises=library.scenarios_of_module(found.id),
        offered=progress.self_assessment_offered(found, states),
        answered=progress.latest_self_assessment(current_user.id, found.id),
    )


def _self_assessment_or_redirect(module_id: str, moment_value: str):
    """The module and moment asked for, or a way back to the module page when it is not the
    moment (the start once a lesson is done, the end before the last one)."""
    found = get_library().module(module_id)
    moment = next((m for m in SelfAssessmentMoment if m.value == moment_value), None)
    if found is None or moment is None or not found.self_assessment:
        abort(404)
    if progress.self_assessment_offered(found, progress.learner_states(current_user.id)) is not moment:
        if moment is SelfAssessmentMoment.START:
            flash(_("Ces questions se posent avant la première leçon du module."), "info")
        else:
            flash(_("Ces questions se posent quand toutes les leçons du module sont terminées."), "info")
        return found, moment, redirect(url_for("learn.module", module_id=found.id))
    return found, moment, None


def _render_self_assessment(module, moment, given, missing=(), status=200):
    return render_template(
        "learn/self_assessment.html", module=module, moment=moment, given=given, missing=list(missing),
        answers=list(KnowHow)[::-1], field=statement_field, know_how_words=KNOW_HOW_WORDS, moment_words=MOMENT_WORDS,
    ), status


@bp.get("/modules/<module_id>/je-sais-faire/<moment>")
@login_required
def self_assessment(module_id: str, moment: str):
    module, moment, away = _self_assessment_or_redirect(module_id, moment)
    if away:
        return away
    return _render_self_assessment(module, moment, progress.latest_self_assessment(current_user.id, module.id).get(moment, {}))


@bp.post("/modules/<module_id>/je-sais-faire/<moment>")
@login_required
@write_limit
def answer_self_assessment(module_id: str, moment: str):
    module, moment, away = _self_assessment_or_redirect(module_id, moment)
    if away:
        return away
    answers, missing = read_self_assessment(module, request.form)
    if missing:
        return _render_self_assessment(module, moment, answers, missing, status=422)
    progress.record_self_assessment(current_user.id, module, moment, answers)
    flash(_("Merci ! Vos réponses sont enregistrées."), "success")
    return redirect(url_for("learn.module", module_id=module.id))


@bp.get("/lecons/<lesson_id>")
@login_required
def lesson(lesson_id: str):
    found = _lesson_or_404(lesson_id)
    progress.record_visit(current_user.id, found.id)
    return _render_lesson(found)


def _render_lesson(lesson, given=None, client_id=None, missing=(), status=200, form=None, hints=None):
    library = get_library()
    state = progress.learner_states(current_user.id).get(lesson.id, progress.NOT_STARTED)
    return render_template(
        "learn/lesson.html",
        lesson=lesson,
        lesson_number=library.lesson_number(lesson),
        module=library.module_of(lesson),
        next_lesson=library.next_lesson(lesson),
        scenarios=library.scenarios_of_lesson(lesson.id),
        state=state,
        asked=progress.open_help_request(current_user.id, lesson.id),
        score_needed=score_needed(lesson.pass_mark, len(lesson.quiz.questions)) if lesson.quiz else None,
        given=given or {},
        missing=set(missing),
        client_id=client_id or str(uuid.uuid4()),
        form=form or {},
        hints=hints or {},
        fields=AnswerFields,
        shown_steps=shown_steps,
    ), status


@bp.post("/lecons/<lesson_id>/quiz")
@login_required
@write_limit
def submit_quiz(lesson_id: str):
    lesson = _lesson_or_404(lesson_id)
    if lesson.quiz is None:
        abort(404)
    client_id = request.form.get("client_id", "")
    if not CLIENT_ID.match(client_id):
        abort(400)
    try:
        answers = read_answers(lesson.quiz, request.form, FORM_FIELDS)
    except AnswerError:
        abort(400)
    hints = read_hints(lesson.quiz, request.form)
    kept = {"given": answers, "client_id": client_id, "form": request.form}
    if (hint_for := lesson.quiz.question(request.form.get(HINT_BUTTON, ""))) is not None:
        # « Voir un indice » without JavaScript: the same page, one more hint, nothing recorded.
        hints[hint_for.key] = min(hints.get(hint_for.key, 0) + 1, len(hint_for.hints))
        return _render_lesson(lesson, hints=hints, **kept)
    try:
        result = grade(lesson.quiz, answers)
    except AnswerError:
        abort(400)
    except MissingAnswers as error:
        # The quiz again, with what was given: the form's address ends with #quiz, where the page
        # lists the missing questions (lesson.html).
        return _render_lesson(lesson, missing=error.missing, status=422, hints=hints, **kept)
    try:
        attempt = progress.record_attempt(
            current_user.id, lesson, result, client_id, hints=hints
        )
    except progress.ForeignSubmission:
        abort(400)
    # Its own anchor: the quiz form's #quiz would otherwise be carried over to the result.
    return redirect(url_for("learn.quiz_result", lesson_id=lesson.id, attempt_id=attempt.id, _anchor="resultat"))


@bp.get("/lecons/<lesson_id>/resultats/<int:attempt_id>")
@login_required
def quiz_result(lesson_id: str, attempt_id: int):
    lesson = _lesson_or_404(lesson_id)
    attempt = progress.learner_attempt(current_user.id, attempt_id)
    if attempt is None or attempt.lesson_id != lesson.id or lesson.quiz is None:
        abort(404)
    try:
        result = grade(lesson.quiz, attempt.answers)
    except (AnswerError, MissingAnswers):
        result = None  # the lesson changed since: show the score only
    library = get_library()
    return render_template(
        "learn/result.html",
        lesson=lesson,
        module=library.module_of(lesson),
        attempt=attempt,
        result=result,
        score_needed=score_needed(lesson.pass_mark, attempt.max_score),
        next_lesson=library.next_lesson(lesson),
        asked=progress.open_help_request(current_user.id, lesson.id),
        offered=_end_to_answer(library.module_of(lesson)),
        answered={},
    )


def _end_to_answer(module) -> SelfAssessmentMoment | None:
    """The module's last lesson just done: « Je sais … » for its end, unless answered already."""
    if progress.self_assessment_offered(module, progress.learner_states(current_user.id)) is not SelfAssessmentMoment.END:
        return None
    answered = progress.latest_self_assessment(current_user.id, module.id)
    return None if SelfAssessmentMoment.END in answered else SelfAssessmentMoment.END


@bp.post("/lecons/<lesson_id>/terminer")
@login_required
@write_limit
def complete(lesson_id: str):
    lesson = _lesson_or_404(lesson_id)
    if lesson.quiz is not None:
        abort(400)  # a lesson with a quiz is finished by passing it
    library = get_library()
    progress.complete_lesson(current_user.id, lesson)
    flash(_("Bravo ! La leçon « %(title)s » est terminée.", title=lesson.title), "success")
    following = library.next_lesson(lesson)
    if following is not None:
        return redirect(url_for("learn.lesson", lesson_id=following.id))
    return redirect(url_for("learn.home"))


@bp.get("/parcours")
@login_required
def journey():
    library = get_library()
    states = progress.learner_states(current_user.id)
    return render_template(
        "learn/journey.html",
        modules=library.modules,
        states=states,
        totals=_module_totals(library.modules, states),
        library=library,
        ladders=progress.learner_ladders(current_user.id),
        levels=list(progress.AutonomyLevel),
        workshops=reports.attended_workshops(current_user.id, library),
    )


@bp.post("/parcours/demarches/<procedure_id>")
@login_required
@write_limit
def claim_done_for_real(procedure_id: str):
    """« Je l'ai fait pour de vrai ! »: her animatrice confirms it later."""
    procedure = get_library().procedures.get(procedure_id)
    if procedure is None:
        abort(404)
    if progress.claim_done_for_real(current_user.id, procedure.id) is None:
        flash(_("Bravo ! Vous faites déjà cette démarche seule, pour de vrai."), "success")
    else:
        flash(_("C'est noté : vous l'avez fait pour de vrai ! En attente : votre animatrice va confirmer."), "success")
    return redirect(url_for("learn.journey", _anchor=f"demarche-{procedure.id}"))


@bp.get("/lecons/media/<module_id>/<path:filename>")
@login_required
def lesson_media(module_id: str, filename: str):
    # A lesson's images only: never its Markdown (which holds the quiz's answers) or module.yml.
    found = get_library().module(module_id)
    if found is None or not filename.lower().endswith(LESSON_MEDIA_SUFFIXES) or "/." in f"/{filename}":
        abort(404)
    return file_response(send_from_directory(found.folder, filename, max_age=7 * 24 * 3600))


def _render_help(lesson, form, status=200):
    return render_template(
        "learn/help.html",
        lesson=lesson,
        form=form,
        asked=progress.open_help_request(current_user.id, lesson.id),
    ), status


@bp.get("/lecons/<lesson_id>/aide")
@login_required
def help_page(lesson_id: str):
    """« J'ai besoin d'aide »: a message, and when and where to be called back, all optional."""
    lesson = _lesson_or_404(lesson_id)
    return _render_help(lesson, HelpForm(obj=progress.open_help_request(current_user.id, lesson.id)))


@bp.post("/lecons/<lesson_id>/aide")
@login_required
@write_limit
def ask_for_help(lesson_id: str):
    lesson = _lesson_or_404(lesson_id)
    form = HelpForm()
    if not form.validate_on_submit():
        return _render_help(lesson, form, status=422)
    progress.request_help(
        current_user.id, lesson.id, form.message.data or "", form.phone.data or "", form.call_back_time.data or ""
    )
    flash(_("C'est envoyé. Votre animatrice ou votre animateur va vous rappeler."), "success")
    return redirect(url_for("learn.lesson", lesson_id=lesson.id))


@bp.get("/glossaire")
@login_required
def glossary():
    """Every word of the glossary, each at its anchor: where a word's link leads without JavaScript."""
    return render_template("learn/glossary.html", entries=get_library().glossary.alphabetical)
