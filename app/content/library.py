"""Load a lessons/ folder into modules and lessons, with every problem found."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..rules import SELF_ASSESSMENT_MAX, SELF_ASSESSMENT_MIN, SELF_ASSESSMENT_TEXT_MAX
from .checks import OFFICIAL_DOMAINS_FILE, load_official_domains
from .glossary import GLOSSARY_FILE, Glossary, load_glossary
from .model import Lesson, Module, Problem, Procedure
from .parser import ID_PATTERN, parse_lesson_file
from .procedures import PROCEDURES_FILE, check_procedures, parse_procedures
from .rendering import LinkResolver
from .scenarios import FOLDER as SCENARIO_FOLDER
from .scenarios import Scenario, parse_scenario_file
from .yaml_files import SequenceNode, YAMLError, compose_yaml, load_yaml

log = logging.getLogger(__name__)

MODULE_FILE = "module.yml"
SELF_ASSESSMENT_KEY = "je_sais_faire"
ICONS = ("famille", "recherche", "panier", "bus", "livre", "cadenas", "etoile")


@dataclass
class Library:
    root: Path
    modules: list[Module] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=Glossary)
    scenarios: dict[str, Scenario] = field(default_factory=dict)


    # The real procedures of every module (demarches.yml), by id, in the modules' order.
    procedures: dict[str, Procedure] = field(default_factory=dict)
    # Newest modification time of the files read, to notice edits in debug mode.
    signature: float = 0.0

    @property
    def ordered_lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def question_count(self) -> int:
        return sum(len(lesson.quiz.questions) for lesson in self.lessons.values() if lesson.quiz)

    @property
    def warnings(self) -> list[Problem]:
        return [warning for lesson in self.ordered_lessons for warning in lesson.warnings]

    def summary(self) -> str:
        return f"{len(self.modules)} modules, {len(self.lessons)} lessons, {self.question_count} questions"

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)

    def scenario(self, scenario_id: str) -> Scenario | None:
        return self.scenarios.get(scenario_id)

    def scenarios_of_lesson(self, lesson_id: str) -> list[Scenario]:
        return [s for s in self.scenarios.values() if s.lesson_id == lesson_id]

    def scenarios_of_module(self, module_id: str) -> list[Scenario]:
        return [s for s in self.scenarios.values() if s.module_id == module_id]

    def procedures_of_scenario(self, scenario_id: str) -> list[str]:
        """The ids of the real procedures this exercise practises (their demarches.yml lists it)."""
        return [p.id for p in self.procedures.values() if scenario_id in p.exercise_ids]

    def module_of(self, lesson: Lesson) -> Module:
        return self.module(lesson.module_id)

    def lesson_number(self, lesson: Lesson) -> int:
        """Its place in its module, from 1: « Leçon 3 », as the facilitators' grid numbers it."""
        return self.module_of(lesson).lessons.index(lesson) + 1

    def procedures_of_module(self, module_id: str) -> list[Procedure]:
        return [p for p in self.procedures.values() if p.module_id == module_id]

    def next_lesson(self, lesson: Lesson) -> Lesson | None:
        ordered = self.ordered_lessons
        index = ordered.index(lesson)
        return ordered[index + 1] if index + 1 < len(ordered) else None


def files_signature(root: Path) -> float:
    return max((p.stat().st_mtime for p in root.rglob("*") if p.is_file()), default=0.0)


def load_library(
    root: Path,
    lesson_url: LinkResolver = lambda lesson_id: f"/lecons/{lesson_id}",
    image_url_for_module: Callable[[str], LinkResolver] = lambda module_id: (lambda src: src),
    glossary_url: LinkResolver = lambda anchor: f"/glossaire#{anchor}",
) -> Library:
    """Read every module folder under root; invalid lessons are reported and left out."""
    root = Path(root)
    if not root.is_dir():
        library = Library(root=root, problems=[Problem(root, 0, "dossier des leçons introuvable")])
    else:
        library = _read_library(root, lesson_url, image_url_for_module, glossary_url)
        _read_procedures(library)
    library.signature = files_signature(root) if root.is_dir() else 0.0
    for problem in library.problems:
        log.warning("leçon écartée : %s", problem)
    return library


def _read_library(
    root: Path, lesson_url: LinkResolver, image_url_for_module: Callable[[str], LinkResolver], glossary_url: LinkResolver,
) -> Library:
    glossary, glossary_problems = load_glossary(root / GLOSSARY_FILE)
    official_domains = load_official_domains(root / OFFICIAL_DOMAINS_FILE)
    library = Library(root=root, glossary=glossary, problems=glossary_problems)
    links: list[tuple[Lesson, str, int]] = []
    seen_paths: dict[str, Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        module = _load_module(folder, library.problems)
        if module is None:
            continue
        if module.id in {m.id for m in library.modules}:
            library.problems.append(Problem(folder / MODULE_FILE, 1, f"identifiant de module « {module.id} » déjà utilisé"))
            continue
        image_url = image_url_for_module(module.id)
        for path in sorted(folder.glob("*.md")):
            parsed = parse_lesson_file(path, lesson_url, image_url, glossary, official_domains, glossary_url)
            library.problems.extend(parsed.problems)
            lesson = parsed.lesson
            if lesson is None:
                continue
            if lesson.id in seen_paths:
                library.problems.append(Problem(path, 2, f"identifiant « {lesson.id} » déjà utilisé par {seen_paths[lesson.id]}"))
                continue
            seen_paths[lesson.id] = path
            lesson.module_id = module.id
            module.lessons.append(lesson)
            links.extend((lesson, target, line) for target, line in parsed.lesson_links)
        library.modules.append(module)

    broken = set()
    for lesson, target, line in links:
        if target not in seen_paths:
            library.problems.append(Problem(lesson.path, line, f"lien vers une leçon inconnue : « lecon:{target} »"))
            broken.add(lesson.id)
    for module in library.modules:
        module.lessons = [lesson for lesson in module.lessons if lesson.id not in broken]
        for position, lesson in enumerate(module.lessons, start=1):
            lesson.position = position
    library.modules = sorted(
        (m for m in library.modules if m.lessons), key=lambda m: (m.order, m.folder.name)
    )
    library.lessons = {lesson.id: lesson for lesson in library.ordered_lessons}
    _read_scenarios(library, seen_paths, lesson_url)
    return library


def _read_scenarios(library: Library, lesson_paths: dict[str, Path], lesson_url: LinkResolver) -> None:
    """Each module's exercices/*.md; one naming an unknown lesson, or an id already used, is left out."""
    seen = dict(lesson_paths)
    for module in library.modules:
        for path in sorted((module.folder / SCENARIO_FOLDER).glob("*.md")):
            parsed = parse_scenario_file(path, module.id, lesson_url)
            problems = parsed.problems
            for target, line in parsed.lesson_links:
                if target not in library.lessons:
                    problems.append(Problem(path, line, f"leçon inconnue : « {target} »"))
            scenario = parsed.scenario
            if scenario is not None and scenario.id in seen:
                problems.append(Problem(path, 2, f"identifiant « {scenario.id} » déjà utilisé par {seen[scenario.id]}"))
            library.problems.extend(problems)
            if scenario is not None and not problems:
                seen[scenario.id] = path
                library.scenarios[scenario.id] = scenario


def _read_procedures(library: Library) -> None:
    """Each module's demarches.yml, checked once the lessons (and any scenarios) are known."""
    found: list[Procedure] = []
    for module in library.modules:
        path = module.folder / PROCEDURES_FILE
        if path.is_file():
            procedures, problems = parse_procedures(path, module.id)
            found.extend(procedures)
            library.problems.extend(problems)
    library.procedures = check_procedures(found, library.lessons, library.scenarios, library.problems)


def _load_module(folder: Path, problems: list[Problem]) -> Module | None:
    path = folder / MODULE_FILE
    if not path.is_file():
        if any(folder.glob("*.md")):
            problems.append(Problem(path, 0, f"fichier {MODULE_FILE} manquant : le module est ignoré"))
        return None
    try:
        meta = load_yaml(path.read_text(encoding="utf-8")) or {}
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem(path, mark.line + 1 if mark else 1, f"fichier illisible : {error}"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(path, 1, "le fichier doit être une liste de « clé: valeur »"))
        return None
    found = len(problems)
    module_id = meta.get("id")
    if not isinstance(module_id, str) or not ID_PATTERN.match(module_id):
        problems.append(Problem(path, 1, "« id » manque ou est invalide : lettres minuscules, chiffres et « - »"))
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(Problem(path, 1, f"« {key} » manque"))
    if meta.get("icon") not in ICONS:
        problems.append(Problem(path, 1, f"« icon » doit être l'une de : {', '.join(ICONS)}"))
    order = meta.get("order")
    if not isinstance(order, int) or isinstance(order, bool):
        problems.append(Problem(path, 1, "« order » doit être un nombre entier"))
    statements = _self_assessment(path, meta, problems)
    if len(problems) > found:
        return None
    return Module(
        id=module_id,
        title=meta["title"].strip(),
        description=meta["description"].strip(),
        icon=meta["icon"],
        order=order,
        folder=folder,
        self_assessment=statements,
    )


def _self_assessment(path: Path, meta: dict, problems: list[Problem]) -> tuple[str, ...]:
    """The module's « Je sais … » statements: optional, but 3 to 5 short lines when given."""
    if SELF_ASSESSMENT_KEY not in meta:
        return ()
    key_line, item_lines = _list_lines(path, SELF_ASSESSMENT_KEY)
    items = meta[SELF_ASSESSMENT_KEY]
    if not isinstance(items, list):
        problems.append(Problem(path, key_line, f"« {SELF_ASSESSMENT_KEY} » doit être une liste de phrases, une par ligne « - »"))
        return ()
    if not SELF_ASSESSMENT_MIN <= len(items) <= SELF_ASSESSMENT_MAX:
        problems.append(Problem(
            path, key_line,
            f"« {SELF_ASSESSMENT_KEY} » : {len(items)} phrases, il en faut de {SELF_ASSESSMENT_MIN} à {SELF_ASSESSMENT_MAX}",
        ))
    statements = []
    for number, item in enumerate(items):
        line = item_lines[number] if number < len(item_lines) else key_line
        text = item.strip() if isinstance(item, str) else ""
        if not text:
            problems.append(Problem(path, line, f"« {SELF_ASSESSMENT_KEY} » : phrase vide ou qui n'est pas du texte"))
        elif len(text) > SELF_ASSESSMENT_TEXT_MAX:
            problems.append(Problem(path, line, f"« {SELF_ASSESSMENT_KEY} » : phrase trop longue, {SELF_ASSESSMENT_TEXT_MAX} caractères au plus"))
        statements.append(text)
    return tuple(statements)


def _list_lines(path: Path, key: str) -> tuple[int, list[int]]:
    """The line (from 1) of a top-level key of a YAML file, and of each item of its list."""
    root = compose_yaml(path.read_text(encoding="utf-8"))
    for key_node, value in root.value:
        if key_node.value == key:
            items = value.value if isinstance(value, SequenceNode) else []
            return key_node.start_mark.line + 1, [item.start_mark.line + 1 for item in items]
    return 1, []
