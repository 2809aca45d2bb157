"""Before/after: « Je sais … » statements in module.yml, the learner's answers at a module's
start and end, and the change the impact report shows for those who answered both."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import progress, reports
from app.cli import create_demo_activity
from app.content import load_library
from app.extensions import db
from app.lesson_library import get_library
from app.models import KnowHow, SelfAssessment, SelfAssessmentMoment
from tests.conftest import csrf_token
from tests.facilitate_helpers import answer, finish, login, make_group, make_learner
from tests.test_content_library import MODULE_YML, lesson_text

LESSONS = Path(__file__).parent.parent / "lessons"
START, END = SelfAssessmentMoment.START, SelfAssessmentMoment.END
YES, LITTLE, NOT_YET = KnowHow.YES, KnowHow.A_LITTLE, KnowHow.NOT_YET
D = datetime


# Content ------------------------------------------------------------------------------------


def test_every_module_of_the_course_has_three_to_five_statements_in_plain_words():
    library = load_library(LESSONS)
    assert library.problems == []
    for module in library.modules:
        assert 3 <= len(module.self_assessment) <= 5, module.id
        for statement in module.self_assessment:
            assert statement.startswith("Je sais "), statement
            assert len(statement.split()) <= 12, statement  # one short sentence
            assert "%" not in statement and "(s)" not in statement and "·" not in statement


def write_module(tmp_path: Path, statements_yaml: str) -> Path:
    folder = tmp_path / "01-essai"
    folder.mkdir()
    (folder / "module.yml").write_text(MODULE_YML + statements_yaml, encoding="utf-8")
    (folder / "01-une.md").write_text(lesson_text(), encoding="utf-8")
    return folder


def problems(tmp_path, statements_yaml: str):
    library = load_library(write_module(tmp_path, statements_yaml).parent)
    return library, [(p.path.name, p.line, p.message) for p in library.problems]


def test_statements_are_read_in_order(tmp_path):
    library, found = problems(
        tmp_path, "je_sais_faire:\n  - Je sais lire.\n  - Je sais écrire.\n  - Je sais compter.\n"
    )
    assert found == []
    assert library.module("essai").self_assessment == ("Je sais lire.", "Je sais écrire.", "Je sais compter.")


def test_a_module_without_statements_offers_none(tmp_path):
    library, found = problems(tmp_path, "")
    assert found == []
    assert library.module("essai").self_assessment == ()


@pytest.mark.parametrize(
    "statements_yaml, line, message",
    [
        (
            "je_sais_faire:\n  - Je sais lire.\n  - Je sais écrire.\n",
            6,
            "« je_sais_faire » : 2 phrases, il en faut de 3 à 5",
        ),
        ("je_sais_faire:\n" + "  - Je sais lire.\n" * 6, 6, "« je_sais_faire » : 6 phrases, il en faut de 3 à 5"),
        (
            'je_sais_faire:\n  - Je sais lire.\n  - "  "\n  - Je sais compter.\n',
            8,
            "« je_sais_faire » : phrase vide ou qui n'est pas du texte",
        ),
        (
            "je_sais_faire:\n  - Je sais lire.\n  - Je sais écrire.\n  - 12\n",
            9,
            "« je_sais_faire » : phrase vide ou qui n'est pas du texte",
        ),
        ("je_sais_faire: Je sais lire.\n", 6, "« je_sais_faire » doit être une liste de phrases, une par ligne « - »"),
        (
            "je_sais_faire:\n  - Je sais lire.\n  - Je sais écrire.\n  - " + "x" * 161 + "\n",
            9,
            "« je_sais_faire » : phrase trop longue, 160 caractères au plus",
        ),
    ],
)
def test_a_wrong_list_is_reported_with_file_and_line_and_leaves_the_module_out(
    tmp_path, statements_yaml, line, message
):
    library, found = problems(tmp_path, statements_yaml)
    assert found == [("module.yml", line, message)]
    assert library.module("essai") is None


def test_lessons_check_reports_a_wrong_list(app, tmp_path):
    write_module(tmp_path, "je_sais_faire:\n  - Je sais lire.\n")
    result = app.test_cli_runner().invoke(args=["lessons", "check", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "01-essai/module.yml:6: « je_sais_faire » : 1 phrases, il en faut de 3 à 5" in result.output


# The writer ---------------------------------------------------------------------------------


def all_answers(module, answer: KnowHow) -> dict[int, KnowHow]:
    return dict.fromkeys(range(len(module.self_assessment)), answer)


def test_answering_again_keeps_both_sets_and_the_latest_counts(app):
    with app.app_context():
        module = get_library().module("demo")
        learner = make_learner("lea", make_group("Groupe A"))
        progress.record_self_assessment(learner, module, START, all_answers(module, NOT_YET), at=D(2026, 3, 2, 10))
        progress.record_self_assessment(
            learner, module, START, {0: YES, 1: LITTLE, 2: NOT_YET}, at=D(2026, 3, 2, 10, 5)
        )
        assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 6
        assert progress.latest_self_assessment(learner, "demo") == {START: {0: YES, 1: LITTLE, 2: NOT_YET}}
        texts = db.session.scalars(select(SelfAssessment.statement_text).order_by(SelfAssessment.id)).all()
        assert texts[:3] == list(module.self_assessment)
        with pytest.raises(ValueError):  # every statement, or none
            progress.record_self_assessment(learner, module, END, {0: YES})


# The learner's pages ------------------------------------------------------------------------


def send(client, moment: str, answers: tuple[str | None, ...], token_page: str = "/mes-donnees"):
    """The « Je sais … » form of the demo module, one answer a statement (None: left without one)."""
    data = {f"je-sais-{index}": value for index, value in enumerate(answers) if value is not None}
    token = csrf_token(client.get(token_page).get_data(as_text=True))
    return client.post(f"/modules/demo/je-sais-faire/{moment}", data={"csrf_token": token} | data)


def page(client, url):
    response = client.get(url)
    return response, response.get_data(as_text=True)


def test_the_start_is_offered_before_any_lesson_and_is_optional(app, client, auth):
    auth.login()
    _, html = page(client, "/modules/demo")
    assert "Avant de commencer, dites ce que vous savez déjà faire." in html
    assert 'href="/modules/demo/je-sais-faire/debut"' in html
    response, html = page(client, "/modules/demo/je-sais-faire/debut")
    assert response.status_code == 200
    for statement in ("Je sais ouvrir une leçon.", "Je sais répondre à un quiz.", "Je sais écouter une leçon."):
        assert f"<legend>{statement}</legend>" in html
    assert html.count('type="radio"') == 9
    assert (
        html.count('class="read-aloud-slot" data-read-aloud-slot') == 4
    )  # the page and each statement, as a lesson does
    for label in ("Oui", "Un peu", "Pas encore"):
        assert f"<span>{label}</span>" in html
    assert 'href="/modules/demo">' in html and "Pas maintenant" in html
    # A module without statements offers nothing.
    assert "Ce que je sais faire" not in page(client, "/modules/demo-suite")[1]
    assert client.get("/modules/demo-suite/je-sais-faire/debut").status_code == 404
    assert client.get("/modules/demo/je-sais-faire/milieu").status_code == 404


def test_a_missing_answer_names_its_statement_and_keeps_the_others(app, client, auth):
    auth.login()
    _, html = page(client, "/modules/demo/je-sais-faire/debut")
    response = send(client, "debut", ("oui", None, "bientot"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Il manque votre réponse à la phrase « Je sais répondre à un quiz. »." in html
    assert "Il manque votre réponse à la phrase « Je sais écouter une leçon. »." in html
    assert "Je sais ouvrir une leçon. »" not in html
    assert 'name="je-sais-0" value="oui" checked' in html
    assert html.count("checked") == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 0


def test_answers_are_saved_and_shown_again(app, client, auth):
    auth.login()
    _, html = page(client, "/modules/demo/je-sais-faire/debut")
    response = send(client, "debut", ("oui", "un-peu", "pas-encore"))
    assert response.status_code == 302 and response.headers["Location"] == "/modules/demo"
    _, html = page(client, "/modules/demo")
    assert "Merci ! Vos réponses sont enregistrées." in html and "Changer mes réponses" in html
    _, html = page(client, "/modules/demo/je-sais-faire/debut")
    for field, value in (("je-sais-0", "oui"), ("je-sais-1", "un-peu"), ("je-sais-2", "pas-encore")):
        assert f'name="{field}" value="{value}" checked' in html
    _, html = page(client, "/mes-donnees")
    assert "Ce que je sais faire : mes réponses" in html and "Je sais répondre à un quiz." in html
    data = json.loads(client.get("/mes-donnees/mes-donnees.json").get_data(as_text=True))
    assert [(a["phrase"], a["réponse"], a["moment"]) for a in data["ce que je sais faire"]] == [
        ("Je sais ouvrir une leçon.", "Oui", "Au début du module"),
        ("Je sais répondre à un quiz.", "Un peu", "Au début du module"),
        ("Je sais écouter une leçon.", "Pas encore", "Au début du module"),
    ]


def test_the_end_comes_once_every_lesson_of_the_module_is_done(app, client):
    with app.app_context():
        library = get_library()
        learner = make_learner("lea", make_group("Groupe A"))
    login(client, "lea")
    answered_start = client.get("/modules/demo/je-sais-faire/fin", follow_redirects=True).get_data(as_text=True)
    assert "Ces questions se posent quand toutes les leçons du module sont terminées." in answered_start
    with app.app_context():
        answer(learner, library.lesson("demo-premiers-pas"), D(2026, 3, 2, 10))
    # One lesson done: no longer the start, not yet the end.
    _, html = page(client, "/modules/demo")
    assert "Ce que je sais faire" not in html
    response = send(client, "debut", ("oui", "oui", "oui"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 0
        finish(learner, library.lesson("demo-sans-quiz"), D(2026, 3, 2, 10, 5))
        last = answer(learner, library.lesson("demo-bonus"), D(2026, 3, 2, 10, 9))
    # Where her last quiz's result shows, the end is offered too.
    _, html = page(client, f"/lecons/demo-bonus/resultats/{last.id}")
    assert 'href="/modules/demo/je-sais-faire/fin"' in html
    _, html = page(client, "/modules/demo")
    assert "Vous avez terminé toutes les leçons. Dites ce que vous savez faire maintenant." in html
    _, html = page(client, "/modules/demo/je-sais-faire/fin")
    assert "À la fin du module" in html
    response = send(client, "fin", ("oui", "oui", "un-peu"))
    assert response.status_code == 302
    with app.app_context():
        assert progress.latest_self_assessment(learner, "demo") == {END: {0: YES, 1: YES, 2: LITTLE}}
    assert 'href="/modules/demo/je-sais-faire/fin"' not in page(client, f"/lecons/demo-bonus/resultats/{last.id}")[1]


# The report ---------------------------------------------------------------------------------

SECTION = "Avant et après : ce que les participants disent savoir faire"

# Start → end answers of statements 0, 1, 2 of the demo module, one line a person.
PEOPLE = [
    ((NOT_YET, NOT_YET, LITTLE), (YES, NOT_YET, LITTLE)),
    ((NOT_YET, LITTLE, YES), (LITTLE, YES, LITTLE)),
    ((LITTLE, LITTLE, YES), (YES, LITTLE, YES)),
    ((YES, NOT_YET, NOT_YET), (YES, LITTLE, YES)),
    ((NOT_YET, YES, LITTLE), (NOT_YET, YES, YES)),
]


def build_answers(app, people=PEOPLE):
    """Each person answers in March 2026; plus people who must not count."""
    with app.app_context():
        module = get_library().module("demo")
        group = make_group("Groupe du lundi", facilitators=["bruno"])
        other = make_group("Groupe du jeudi")
        for number, (start, end) in enumerate(people):
            learner = make_learner(f"p{number}", group)
            # A first start answer, replaced by a later one the same day: the latest counts.
            progress.record_self_assessment(learner, module, START, all_answers(module, YES), at=D(2026, 3, 2, 9))
            progress.record_self_assessment(learner, module, START, dict(enumerate(start)), at=D(2026, 3, 2, 10))
            progress.record_self_assessment(learner, module, END, dict(enumerate(end)), at=D(2026, 3, 20, 10))
        only_start = make_learner("seule", group)
        progress.record_self_assessment(only_start, module, START, all_answers(module, NOT_YET), at=D(2026, 3, 2, 10))
        late = make_learner("tard", group)  # her end falls after the period (1 April in Paris)
        progress.record_self_assessment(late, module, START, all_answers(module, NOT_YET), at=D(2026, 3, 2, 10))
        progress.record_self_assessment(late, module, END, all_answers(module, YES), at=D(2026, 3, 31, 22, 30))
        elsewhere = make_learner("ailleurs", other)
        progress.record_self_assessment(elsewhere, module, START, all_answers(module, NOT_YET), at=D(2026, 3, 2, 10))
        progress.record_self_assessment(elsewhere, module, END, all_answers(module, YES), at=D(2026, 3, 20, 10))
    return group


def test_the_report_counts_by_hand_who_moved_among_those_who_answered_both(app):
    group = build_answers(app)
    with app.app_context():
        found = reports.self_assessment_for_report(
            reports.learners_in([group]), D(2026, 3, 1).date(), D(2026, 3, 31).date(), get_library()
        )
        assert [m.module_id for m in found] == ["demo"]  # the other modules have no statements
        module = found[0]
        assert module.people == 5 and module.answered.text == "5" and not module.answered.hidden
    # Statement 0: up N→Y, N→L, L→Y; same Y→Y, N→N.  1: same N→N, L→L, Y→Y; up L→Y, N→L.  2: same L→L, Y→Y; up N→Y, L→Y; down Y→L.
    assert [(c.up, c.same, c.down) for c in module.statements] == [(3, 2, 0), (2, 3, 0), (2, 2, 1)]
    first = module.statements[0]
    assert first.at_start == {NOT_YET: 3, LITTLE: 1, YES: 1}
    assert first.at_end == {YES: 3, LITTLE: 1, NOT_YET: 1}
    assert module.statements[2].at_end == {LITTLE: 2, YES: 3}


def test_fewer_than_five_people_say_moins_de_5_on_the_page_and_in_the_csv(app, client):
    group = build_answers(app, PEOPLE[:4])
    with app.app_context():
        found = reports.self_assessment_for_report(
            reports.learners_in([group]), D(2026, 3, 1).date(), D(2026, 3, 31).date(), get_library()
        )
        assert found[0].people == 4 and found[0].answered.text == "moins de 5"
        assert {found[0].statements[0].figure(value).text for value in (0, 1, 4)} == {"moins de 5"}
    login(client, "bruno")
    query = f"?start=2026-03-01&end=2026-03-31&groups={group}"
    html = client.get(f"/animation/rapport{query}").get_data(as_text=True)
    assert f">{SECTION}</h3>" in html
    assert "Participants ayant répondu au début et à la fin : moins de 5" in html
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/animation/rapport.csv{query}").get_data(as_text=True).lstrip("\ufeff")),
            delimiter=";",
        )
    )
    mine = [row for row in rows if row[0] == SECTION]
    assert mine[0] == [
        SECTION,
        "Participants ayant répondu au début et à la fin",
        "",
        "Découvrir Pas à pas",
        "moins de 5",
    ]
    assert len(mine) == 1 + 3 * 9
    assert {row[4] for row in mine} == {"moins de 5"}
    assert {row[3] for row in mine} == {"Découvrir Pas à pas"}


def test_the_impact_page_and_csv_show_the_figures_from_five_people(app, client):
    group = build_answers(app)
    login(client, "bruno")
    query = f"?start=2026-03-01&end=2026-03-31&groups={group}"
    html = client.get(f"/animation/rapport{query}").get_data(as_text=True)
    assert "Participants ayant répondu au début et à la fin : 5" in html
    assert '<th scope="row">Je sais ouvrir une leçon.</th>\n      <td>3</td><td>2</td><td>0</td>' in html
    assert "<td>1 / 1 / 3</td>" in html and "<td>3 / 1 / 1</td>" in html
    text = client.get(f"/animation/rapport.csv{query}").get_data(as_text=True).lstrip("\ufeff")
    rows = {(row[0], row[1], row[2], row[3]): row[4] for row in csv.reader(io.StringIO(text), delimiter=";")}
    demo = "Découvrir Pas à pas"
    assert rows[SECTION, "Participants ayant répondu au début et à la fin", "", demo] == "5"
    assert rows[SECTION, "« Je sais ouvrir une leçon. » : ont progressé", "", demo] == "3"
    assert rows[SECTION, "« Je sais écouter une leçon. » : ont reculé", "", demo] == "1"
    assert rows[SECTION, "« Je sais ouvrir une leçon. » : « Pas encore » au début", "", demo] == "3"
    assert rows[SECTION, "« Je sais ouvrir une leçon. » : « Oui » à la fin", "", demo] == "3"


def test_demo_activity_writes_answers_through_the_writer(app):
    with app.app_context():
        assert create_demo_activity(now=D(2026, 3, 10, 12)) > 0
        rows = db.session.execute(select(SelfAssessment.moment, SelfAssessment.answer)).all()
    assert len(rows) == 6 and {moment for moment, _ in rows} == {START}
