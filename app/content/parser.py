"""Turn one lesson file into a Lesson, or into problems located by line."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import readability
from .checks import LessonSource, lesson_warnings
from .glossary import GLOSSARY_FILE, Glossary
from .images import image_size
from .model import GLOSSARY_LINK, Choice, Lesson, Problem, Question, QuestionType, Quiz, Source
from .rendering import LESSON_LINK_SCHEME, LinkResolver, render_block, render_inline
from .typography import french_spacing

DEFAULT_PASS_MARK = 70
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FRONT_MATTER_KEYS = {"id", "title", "duration", "objectives", "pass_mark", "sources", "verified"}
SOURCE_KEYS = {"url", "supports"}

_QUIZ_HEADING = re.compile(r"^##\s+quiz\s*$", re.I)
_QUESTION = re.compile(r"^###\s+(?P<text>.+)$")
_CHOICE = re.compile(r"^[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
_CHOICE_NOTE = re.compile(r"^\s+>\s?(?P<text>.*)$")
_TYPE = re.compile(r"^type\s*:\s*(?P<value>.+)$", re.I)
_ANSWER = re.compile(r"^réponse\s*:\s*(?P<value>.+)$", re.I)
_EXPLANATION = re.compile(r"^explication\s*:\s*(?P<text>.*)$", re.I)
_LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_ALLOWED_LINK = re.compile(r"^(https://|mailto:|tel:|#)")

TRUE_FALSE_CHOICES = (("vrai", "Vrai"), ("faux", "Faux"))

# libyaml's loader reads a lesson's header ten times faster than the pure-Python one (it was a
# quarter of the load time of a generated lesson, docs/benchmarks.md).
_FAST_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    try:
        return yaml.load(text, Loader=_FAST_YAML_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        # The pure-Python loader's message and line are the ones lesson authors are shown.
        return yaml.safe_load(text)


@dataclass
class ParsedLesson:
    lesson: Lesson | None
    problems: list[Problem]
    # (lesson id, line) of every link to another lesson, checked by the library.
    lesson_links: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _QuestionDraft:
    line: int
    prompt: list[str]
    type_name: str | None = None
    type_line: int = 0
    choices: list[list] = field(default_factory=list)  # [line, correct, text, notes]
    answer: str | None = None
    answer_line: int = 0
    explanation: list[str] = field(default_factory=list)
    explanation_line: int = 0


def choice_key(text: str) -> str:
    """Opaque and stable: reveals nothing, survives reordering the choices."""
    return hashlib.blake2s(text.strip().encode(), digest_size=4).hexdigest()


def _glossary_url(anchor: str) -> str:
    return f"/glossaire#{anchor}"


def parse_lesson_file(
    path: Path,
    lesson_url: LinkResolver,
    image_url: LinkResolver,
    glossary: Glossary = Glossary(),  # noqa: B008 (frozen: never changed)
    official_domains: frozenset[str] = frozenset(),
    glossary_url: LinkResolver = _glossary_url,
) -> ParsedLesson:
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem(1, "le fichier n'est pas en UTF-8")
        return ParsedLesson(None, problems)
    lines = text.splitlines()

    meta, body_start = _front_matter(lines, problem)
    if meta is None:
        return ParsedLesson(None, problems)
    verified_line = meta["_lines"].get("verified", 1)
    lesson_id, title, duration, objectives, pass_mark, sources, verified = _check_meta(meta, problem)

    quiz_start = next(
        (i for i in range(body_start, len(lines)) if _QUIZ_HEADING.match(lines[i])), None
    )
    body_end = quiz_start if quiz_start is not None else len(lines)
    body_lines = lines[body_start:body_end]
    quiz_lines = lines[quiz_start + 1:] if quiz_start is not None else []

    lesson_links = _check_links(path, lines, body_start, problem)
    linked_words = _check_glossary_links(lines, body_start, glossary, problem)

    def term(word: str):
        entry = glossary.find(word)
        return (glossary_url(entry.anchor), entry.definition) if entry else None

    resolvers = {
        "lesson_url": lesson_url,
        "image_url": lambda src: image_url(_image_path(src)),
        "image_size": lambda src: image_size(path.parent / _image_path(src)),
        "term": term,
    }
    quiz = None
    if quiz_start is not None:
        quiz = _parse_quiz(quiz_lines, quiz_start + 2, problem, resolvers)

    if problems:
        return ParsedLesson(None, problems, lesson_links)

    learner_text = "\n".join(
        [title, *objectives, *body_lines, *_quiz_reading_lines(quiz_lines)]
    )
    source = LessonSource(path, lines, body_start, quiz_start)
    lesson = Lesson(
        id=lesson_id,
        title=french_spacing(title),
        duration=duration,
        objectives=tuple(french_spacing(o) for o in objectives),
        pass_mark=pass_mark,
        body_html=render_block("\n".join(body_lines), **resolvers),
        quiz=quiz,
        path=path,
        readability=readability.measure(learner_text),
        sources=sources,
        verified=verified,
        verified_line=verified_line,
        warnings=tuple(lesson_warnings(source, quiz, glossary, linked_words, official_domains)),
    )
    return ParsedLesson(lesson, problems, lesson_links)


def _front_matter(lines, problem):
    if not lines or lines[0].strip() != "---":
        problem(1, "le fichier doit commencer par une ligne « --- » (l'en-tête de la leçon)")
        return None, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problem(1, "l'en-tête n'est pas fermé par une ligne « --- »")
        return None, 0
    try:
        meta = load_yaml("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        problem(line, f"en-tête illisible : {getattr(error, 'problem', None) or error}")
        return None, 0
    if not isinstance(meta, dict):
        problem(2, "l'en-tête doit être une liste de « clé: valeur »")
        return None, 0
    meta["_lines"] = {
        key: i + 1
        for i, line in enumerate(lines[:end])
        for key in FRONT_MATTER_KEYS
        if line.startswith(f"{key}:")
    }
    return meta, end + 1


def _check_meta(meta, problem):
    key_lines = meta.pop("_lines")

    def line_of(key):
        return key_lines.get(key, 1)

    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            problem(1, f"clé inconnue dans l'en-tête : « {key} »")

    lesson_id = meta.get("id")
    if not lesson_id:
        problem(1, "l'identifiant « id » manque dans l'en-tête")
    elif not isinstance(lesson_id, str) or not ID_PATTERN.match(lesson_id):
        problem(line_of("id"), f"identifiant « {lesson_id} » invalide : lettres minuscules, chiffres et « - » seulement")

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problem(line_of("title"), "le titre « title » manque")
        title = ""

    duration = meta.get("duration")
    if not isinstance(duration, int) or isinstance(duration, bool) or not 1 <= duration <= 120:
        problem(line_of("duration"), "la durée « duration » doit être un nombre de minutes entre 1 et 120")

    objectives = meta.get("objectives")
    if isinstance(objectives, str):
        objectives = [objectives]
    if not isinstance(objectives, list) or not objectives or not all(
        isinstance(o, str) and o.strip() for o in objectives
    ):
        problem(line_of("objectives"), "les objectifs « objectives » doivent être une liste de phrases")
        objectives = []

    for key, texts in (("title", [title]), ("objectives", objectives)):
        if any(GLOSSARY_LINK.search(text) for text in texts):
            problem(line_of(key), f"un lien du glossaire « [[…]] » va dans le texte de la leçon ou le quiz, pas dans « {key} »")

    pass_mark = meta.get("pass_mark", DEFAULT_PASS_MARK)
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 1 <= pass_mark <= 100:
        problem(line_of("pass_mark"), "le seuil « pass_mark » doit être un pourcentage entre 1 et 100")

    sources = _check_sources(meta.get("sources"), line_of("sources"), problem)

    verified = meta.get("verified")
    if isinstance(verified, datetime.datetime):
        verified = verified.date()
    if not isinstance(verified, datetime.date):
        problem(
            line_of("verified"),
            "la date de vérification « verified » manque ou s'écrit mal : année-mois-jour, par exemple « verified: 2026-12-01 »",
        )
    return lesson_id, title.strip(), duration, [o.strip() for o in objectives], pass_mark, sources, verified


def _check_sources(sources, line: int, problem) -> tuple[Source, ...]:
    """Each fact of a lesson comes from somewhere: at least one source, with what it supports."""
    if not sources:
        problem(line, "la leçon n'a pas de sources : ajoutez « sources: » avec l'adresse de chaque source et ce qu'elle prouve")
        return ()
    if not isinstance(sources, list):
        problem(line, "« sources » doit être une liste de « - url: … » suivis de « supports: … »")
        return ()
    found = []
    for number, item in enumerate(sources, start=1):
        if not isinstance(item, dict) or item.keys() - SOURCE_KEYS:
            problem(line, f"source n° {number} : écrivez seulement « url: » et « supports: »")
            continue
        url, supports = item.get("url"), item.get("supports")
        if not isinstance(url, str) or not url.startswith("https://"):
            problem(line, f"source n° {number} : « url » doit être une adresse qui commence par https://")
        if not isinstance(supports, str) or not supports.strip():
            problem(line, f"source n° {number} : « supports » manque : la phrase de la leçon que cette source prouve")
        if isinstance(url, str) and isinstance(supports, str):
            found.append(Source(url.strip(), supports.strip()))
    return tuple(found)


def _image_path(src: str) -> str:
    return src.lstrip("./")


def _check_links(path, lines, start, problem):
    lesson_links = []
    module_folder = path.parent.resolve()
    for number in range(start, len(lines)):
        for match in _LINK.finditer(lines[number]):
            line, target = number + 1, match["target"]
            if match["image"]:
                if not match["text"].strip():
                    problem(line, "image sans texte de remplacement : écrivez ce qu'elle montre entre les crochets")
                if _ALLOWED_LINK.match(target) or "://" in target or target.startswith("//"):
                    problem(line, f"image « {target} » : seules les images du dossier du module sont permises")
                    continue
                image = (module_folder / _image_path(target)).resolve()
                if module_folder not in image.parents or not image.is_file():
                    problem(line, f"image introuvable : « {target} »")
            elif target.startswith(LESSON_LINK_SCHEME):
                lesson_links.append((target[len(LESSON_LINK_SCHEME):], line))
            elif not _ALLOWED_LINK.match(target):
                problem(line, f"lien « {target} » refusé : utilisez https://, mailto:, tel: ou lecon:")
    return lesson_links


def _check_glossary_links(lines, start, glossary: Glossary, problem) -> set[str]:
    """The anchors of the glossary words the lesson links to; an unknown word is an error."""
    linked = set()
    for number in range(start, len(lines)):
        for match in GLOSSARY_LINK.finditer(lines[number]):
            word = (match["word"] or match["shown"]).strip()
            entry = glossary.find(word)
            if entry is None:
                problem(number + 1, f"« [[{word}]] » : ce mot n'est pas dans le glossaire ({GLOSSARY_FILE}). Ajoutez-le ou corrigez le lien")
            else:
                linked.add(entry.anchor)
    return linked


def _parse_quiz(lines, first_line, problem, resolvers) -> Quiz | None:
    drafts: list[_QuestionDraft] = []
    in_explanation = False
    for offset, raw in enumerate(lines):
        number = first_line + offset
        line = raw.rstrip()
        if not line.strip():
            in_explanation = False
            continue
        if match := _QUESTION.match(line):
            drafts.append(_QuestionDraft(number, [match["text"].strip()]))
            in_explanation = False
            continue
        if not drafts:
            problem(number, "texte avant la première question : une question commence par « ### »")
            continue
        draft = drafts[-1]
        if match := _EXPLANATION.match(line):
            draft.explanation.append(match["text"].strip())
            draft.explanation_line = number
            in_explanation = True
        elif match := _CHOICE.match(line):
            draft.choices.append([number, match["mark"] != " ", match["text"].strip(), []])
            in_explanation = False
        elif (match := _CHOICE_NOTE.match(line)) and draft.choices and not in_explanation:
            draft.choices[-1][3].append(match["text"].strip())
        elif match := _TYPE.match(line):
            draft.type_name, draft.type_line = match["value"].strip().lower(), number
        elif match := _ANSWER.match(line):
            draft.answer, draft.answer_line = match["value"].strip().lower(), number
        elif in_explanation:
            draft.explanation.append(line.strip())
        elif not draft.choices and draft.answer is None:
            draft.prompt.append(line.strip())
        else:
            problem(number, f"ligne non comprise dans la question : « {line.strip()} »")
    if not drafts:
        problem(first_line - 1, "le quiz n'a aucune question : une question commence par « ### »")
        return None
    questions = [
        _build_question(f"q{i}", draft, problem, resolvers)
        for i, draft in enumerate(drafts, start=1)
    ]
    if any(q is None for q in questions):
        return None
    source = "\n".join(lines).encode()
    return Quiz(tuple(questions), hashlib.sha256(source).hexdigest()[:16])


def _build_question(key, draft: _QuestionDraft, problem, resolvers) -> Question | None:
    errors_before = []

    def fail(line, message):
        errors_before.append(message)
        problem(line, message)

    question_type = _question_type(draft, fail)
    if not draft.explanation or not " ".join(draft.explanation).strip():
        fail(draft.line, "la question n'a pas d'« Explication : »")

    choices: list[Choice] = []
    if question_type is QuestionType.TRUE_FALSE:
        if draft.choices:
            fail(draft.choices[0][0], "une question vrai ou faux n'a pas de choix « - [ ] »")
        if draft.answer not in ("vrai", "faux"):
            fail(draft.answer_line or draft.line, "une question vrai ou faux a besoin de « Réponse : vrai » ou « Réponse : faux »")
        choices = [Choice(k, label, k == draft.answer) for k, label in TRUE_FALSE_CHOICES]
    elif question_type is not None:
        if draft.answer is not None:
            fail(draft.answer_line, "« Réponse : » sert seulement aux questions vrai ou faux")
        right = sum(1 for c in draft.choices if c[1])
        if len(draft.choices) < 2:
            fail(draft.line, "la question a besoin d'au moins deux choix « - [ ] »")
        elif right == 0:
            fail(draft.line, "la question n'a pas de bonne réponse : marquez-la avec « [x] »")
        elif right > 1 and question_type is QuestionType.SINGLE:
            fail(draft.type_line or draft.line, "« Type : choix unique » mais plusieurs réponses sont marquées « [x] »")
        keys = [choice_key(c[2]) for c in draft.choices]
        for (line, _, text, _), k in zip(draft.choices, keys, strict=True):
            if keys.count(k) > 1:
                fail(line, f"le choix « {text} » est écrit deux fois")
        choices = [
            Choice(k, render_inline(text, **resolvers), correct, render_inline(" ".join(notes), **resolvers) if notes else "")
            for (_, correct, text, notes), k in zip(draft.choices, keys, strict=True)
        ]
    if errors_before or question_type is None:
        return None
    return Question(
        key=key,
        type=question_type,
        prompt_html=render_block("\n".join(draft.prompt), **resolvers),
        choices=tuple(choices),
        explanation_html=render_block("\n".join(draft.explanation), **resolvers),
        line=draft.line,
    )


def _question_type(draft: _QuestionDraft, fail) -> QuestionType | None:
    if draft.type_name is not None:
        for question_type in QuestionType:
            if draft.type_name == question_type.value:
                return question_type
        known = ", ".join(f"« {t.value} »" for t in QuestionType)
        fail(draft.type_line, f"type de question inconnu « {draft.type_name} » : utilisez {known}")
        return None
    if draft.answer is not None and not draft.choices:
        return QuestionType.TRUE_FALSE
    right = sum(1 for c in draft.choices if c[1])
    return QuestionType.MULTIPLE if right > 1 else QuestionType.SINGLE


def _quiz_reading_lines(quiz_lines: list[str]) -> list[str]:
    """The quiz text a learner reads, without the author's markers."""
    reading = []
    for line in quiz_lines:
        if _TYPE.match(line.strip()) or _ANSWER.match(line.strip()):
            continue
        match = _EXPLANATION.match(line.strip())
        reading.append(match["text"] if match else line)
    return reading
