"""The procedures catalogue (a module's demarches.yml): loaded in order, every mistake reported
with its file and line by the library and by `flask lessons check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.content import load_library
from tests.test_content_library import FIXTURES, MODULE_YML, lesson_text

LESSONS = Path(__file__).parent.parent / "lessons"


@pytest.fixture
def folder(tmp_path):
    module = tmp_path / "01-essai"
    module.mkdir()
    (module / "module.yml").write_text(MODULE_YML)
    (module / "01-une.md").write_text(lesson_text("essai-une"))
    return module


def problems_of(folder: Path, catalogue: str):
    (folder / "demarches.yml").write_text(catalogue, encoding="utf-8")
    library = load_library(folder.parent)
    return library, [(p.path.name, p.line, p.message) for p in library.problems]


def test_the_fixture_catalogue_loads_in_order_with_its_lessons():
    library = load_library(FIXTURES)
    assert library.problems == []
    assert list(library.procedures) == ["demo-envoyer-message", "demo-prendre-photo"]
    first = library.procedures["demo-envoyer-message"]
    assert (first.title, first.module_id, first.lesson_ids, first.exercise_ids, first.line) == (
        "Envoyer un message depuis son téléphone",
        "demo",
        ("demo-premiers-pas", "demo-sans-quiz"),
        ("exercice-demo-payer",),
        1,
    )
    assert library.procedures["demo-prendre-photo"].line == 5
    assert [p.id for p in library.procedures_of_module("demo")] == ["demo-envoyer-message", "demo-prendre-photo"]
    assert library.procedures_of_module("demo-suite") == []


def test_the_real_catalogue_has_3_to_5_procedures_per_module_each_prepared_by_lessons():
    library = load_library(LESSONS)
    assert library.problems == []
    for module in library.modules:
        procedures = library.procedures_of_module(module.id)
        assert 3 <= len(procedures) <= 5, module.id
        for procedure in procedures:
            assert procedure.lesson_ids and all(library.lesson(i) for i in procedure.lesson_ids), procedure.id
    # One exercise per module, the scenarios' ids (issue 16), each on its procedure.
    exercises = {e for p in library.procedures.values() for e in p.exercise_ids}
    assert exercises == {
        "exercice-caf-declarer-ressources",
        "exercice-sms-arnaques-33700",
        "exercice-payer-en-ligne",
        "exercice-ticket-les-ulis-massy",
        "exercice-compte-formation",
        "exercice-mot-de-passe-double-verification",
    }
    assert "caf-declarer-ressources" in library.procedures
    assert "mot-de-passe-double-verification" in library.procedures


def test_each_mistake_is_reported_at_its_line_and_leaves_its_procedure_out(folder):
    catalogue = (
        "- id: bonne\n  title: Une démarche\n  lessons: [essai-une]\n"  # 1
        "- id: bonne\n  title: La même\n  lessons: [essai-une]\n"  # 4
        "- id: sans-lecon\n  title: Sans leçon\n  lessons: [inconnue]\n"  # 7
        "- id: Mauvais_Id\n  title: Id\n  lessons: [essai-une]\n"  # 10
        "- id: cle\n  title: Clé\n  lessons: [essai-une]\n  lesson: [essai-une]\n"  # 13, key at 16
        "- id: sans-titre\n  lessons: [essai-une]\n"  # 17
        "- id: liste\n  title: Liste\n  lessons: essai-une\n  exercises: pas-une-liste\n"  # 19
        "- juste un texte\n"  # 23
    )
    library, problems = problems_of(folder, catalogue)
    assert list(library.procedures) == ["bonne"]
    assert library.procedures["bonne"].title == "Une démarche"
    lines = {line for _name, line, _message in problems}
    assert {name for name, _line, _message in problems} == {"demarches.yml"}
    assert lines == {4, 7, 10, 16, 17, 21, 22, 23}
    messages = " | ".join(message for _name, _line, message in problems)
    assert "démarche « bonne » déjà écrite dans" in messages
    assert "leçon inconnue « inconnue »" in messages
    assert "clé inconnue : « lesson »" in messages
    assert "« title » manque" in messages


def test_an_unreadable_or_misshapen_file_is_one_problem_at_its_line(folder):
    _library, problems = problems_of(folder, "- id: a\n  title: [pas fermé\n")
    assert [(name, line) for name, line, _message in problems] == [("demarches.yml", 3)]
    assert problems[0][2].startswith("fichier illisible")
    _library, problems = problems_of(folder, "id: seule\ntitle: Pas une liste\n")
    assert [(line, message.split(" :")[0]) for _n, line, message in problems] == [
        (1, "le fichier doit être une liste de démarches")
    ]


def test_exercises_are_checked_against_the_library_s_scenarios(folder):
    # The library reads its scenarios (issue 16) before the procedures.
    catalogue = "- id: essai\n  title: Essai\n  lessons: [essai-une]\n  exercises: [exercice-inconnu]\n"
    library, problems = problems_of(folder, catalogue)
    assert problems == [("demarches.yml", 1, "démarche « essai » : exercice inconnu « exercice-inconnu »")]
    assert library.procedures == {}


def test_lessons_check_reports_the_catalogue_with_file_and_line(app, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURES, lessons)
    (lessons / "01-demo" / "demarches.yml").write_text(
        "- id: demo\n  title: Démo\n  lessons: [demo-inconnue]\n", encoding="utf-8"
    )
    result = app.test_cli_runner().invoke(args=["lessons", "check", "--dir", str(lessons)])
    assert result.exit_code == 1
    assert (
        f"{lessons / '01-demo' / 'demarches.yml'}:1: démarche « demo » : leçon inconnue « demo-inconnue »"
        in result.output
    )
