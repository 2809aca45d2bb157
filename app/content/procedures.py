"""A module's real procedures (its demarches.yml): parse, then check against the library."""

from __future__ import annotations

from pathlib import Path

from .model import Problem, Procedure
from .parser import ID_PATTERN
from .typography import french_spacing
from .yaml_files import MappingNode, ScalarNode, SequenceNode, YAMLError, compose_yaml

PROCEDURES_FILE = "demarches.yml"
PROCEDURE_KEYS = ("id", "title", "lessons", "exercises")


def parse_procedures(path: Path, module_id: str) -> tuple[list[Procedure], list[Problem]]:
    """The procedures of one file, each with its line; a procedure with a problem is left out."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    try:
        # compose keeps each value's line, for the author.
        root = compose_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problem(1, "le fichier n'est pas en UTF-8")
        return [], problems
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem(mark.line + 1 if mark else 1, f"fichier illisible : {getattr(error, 'problem', None) or error}")
        return [], problems
    if root is None:
        return [], problems
    if not isinstance(root, SequenceNode):
        problem(
            root.start_mark.line + 1, "le fichier doit être une liste de démarches : chacune commence par « - id: »"
        )
        return [], problems
    procedures = []
    for node in root.value:
        found = len(problems)
        procedure = _procedure(node, path, module_id, problem)
        if procedure is not None and len(problems) == found:
            procedures.append(procedure)
    return procedures, problems


def _procedure(node, path: Path, module_id: str, problem) -> Procedure | None:
    line = node.start_mark.line + 1
    if not isinstance(node, MappingNode):
        problem(line, "une démarche s'écrit avec « id: », « title: », « lessons: » et « exercises: »")
        return None
    values, lines = {}, {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in PROCEDURE_KEYS:
            problem(
                key_node.start_mark.line + 1, f"clé inconnue : « {key} » (les clés sont : {', '.join(PROCEDURE_KEYS)})"
            )
            continue
        values[key], lines[key] = value_node, value_node.start_mark.line + 1
    procedure_id = _text(values.get("id"))
    if not procedure_id or not ID_PATTERN.match(procedure_id):
        problem(lines.get("id", line), "« id » manque ou est invalide : lettres minuscules, chiffres et « - »")
    title = _text(values.get("title"))
    if not title:
        problem(lines.get("title", line), "« title » manque : le nom de la démarche, en mots simples")
    lesson_ids = _ids(values.get("lessons"))
    if not lesson_ids:
        problem(
            lines.get("lessons", line),
            "« lessons » doit être la liste des leçons qui préparent la démarche, par exemple « lessons: [famille-caf-telephone] »",
        )
    exercise_ids = _ids(values.get("exercises")) if values.get("exercises") is not None else ()
    if exercise_ids is None:
        problem(
            lines["exercises"],
            "« exercises » doit être une liste d'identifiants d'exercices, par exemple « exercises: [] »",
        )
    if not procedure_id or not title or not lesson_ids or exercise_ids is None:
        return None
    return Procedure(procedure_id, french_spacing(title), module_id, lesson_ids, exercise_ids, line, path)


def _text(node) -> str:
    return node.value.strip() if isinstance(node, ScalarNode) and node.tag.endswith(":str") else ""


def _ids(node) -> tuple[str, ...] | None:
    """A list of identifiers; None when it is not one (an empty list is a list)."""
    if not isinstance(node, SequenceNode) or not all(isinstance(item, ScalarNode) for item in node.value):
        return None
    return tuple(item.value.strip() for item in node.value)


def check_procedures(
    procedures: list[Procedure], lesson_ids, scenario_ids, problems: list[Problem]
) -> dict[str, Procedure]:
    """The valid procedures by id: each id once in the library, its lessons known, and its
    exercises known when the library knows its scenarios (scenario_ids None: not checked)."""
    kept: dict[str, Procedure] = {}
    seen: dict[str, Procedure] = {}
    for procedure in procedures:
        found = len(problems)
        if procedure.id in seen:
            first = seen[procedure.id]
            problems.append(
                Problem(
                    procedure.path,
                    procedure.line,
                    f"démarche « {procedure.id} » déjà écrite dans {first.path}, ligne {first.line}",
                )
            )
            continue
        seen[procedure.id] = procedure
        for lesson_id in procedure.lesson_ids:
            if lesson_id not in lesson_ids:
                problems.append(
                    Problem(
                        procedure.path, procedure.line, f"démarche « {procedure.id} » : leçon inconnue « {lesson_id} »"
                    )
                )
        for exercise_id in procedure.exercise_ids if scenario_ids is not None else ():
            if exercise_id not in scenario_ids:
                problems.append(
                    Problem(
                        procedure.path,
                        procedure.line,
                        f"démarche « {procedure.id} » : exercice inconnu « {exercise_id} »",
                    )
                )
        if len(problems) == found:
            kept[procedure.id] = procedure
    return kept
