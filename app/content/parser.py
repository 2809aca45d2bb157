"""Turn one lesson file into a Lesson, or into problems located by line."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from ..rules import ORDER_STEPS_MAX, ORDER_STEPS_MIN, TAP_PICTURE_MAX_WIDTH
from . import readability
from .checks import LessonSource, lesson_warnings
from .glossary import GLOSSARY_FILE, Glossary
from .model import (
    GLOSSARY_LINK,
    Choice,
    Lesson,
    LessonText,
    Picture,
    Problem,
    Question,
    QuestionType,
    Quiz,
    Source,
    Tolerance,
    Zone,
)
from .pictures import PictureError, picture_size, size_or_none
from .rendering import LESSON_LINK_SCHEME, LinkResolver, render_block, render_inline
from .typography import french_spacing
from .yaml_files import YAMLError, load_yaml

DEFAULT_PASS_MARK = 70
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FRONT_MATTER_KEYS = {"id", "title", "duration", "objectives", "pass_mark", "sources", "verified", "dont_know"}
SOURCE_KEYS = {"url", "supports"}

_QUIZ_HEADING = re.compile(r"^##\s+quiz\s*$", re.I)
_QUESTION = re.compile(r"^###\s+(?P<text>.+)$")
_CHOICE = re.compile(r"^[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
_CHOICE_NOTE = re.compile(r"^\s+>\s?(?P<text>.*)$")
_TYPE = re.compile(r"^type\s*:\s*(?P<value>.+)$", re.I)
_ANSWER = re.compile(r"^réponse\s*:\s*(?P<value>.+)$", re.I)
_EXPLANATION = re.compile(r"^explication\s*:\s*(?P<text>.*)$", re.I)
_HINT = re.compile(r"^indice\s*:\s*(?P<text>.*)$", re.I)
_PICTURE = re.compile(r"^image\s*:\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)\s*$", re.I)
_ZONE = re.compile(r"^\s*zone\s*:\s*(?P<values>.*)$", re.I)
_ZONE_VALUES = re.compile(r"^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")
_STEP = re.compile(r"^\d+\.\s+(?P<text>.+)$")
_ACCEPTED = re.compile(r"^réponse acceptée\s*:\s*(?P<text>.*)$", re.I)
_TOLERANCES = re.compile(r"^tolérances?\s*:\s*(?P<text>.*)$", re.I)
_LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_ALLOWED_LINK = re.compile(r"^(https://|mailto:|tel:|#)")

TRUE_FALSE_CHOICES = (("vrai", "Vrai"), ("faux", "Faux"))

@dataclass
class ParsedLesson:
    lesson: Lesson | None
    problems: list[Problem]
    # (lesson id, line) of every link to another lesson, checked by the library.
    lesson_links: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Texts:
    """One lesson's texts, each rendered when first shown with the lesson's links, pictures and words."""

    resolvers: dict[str, Callable]  # what render_block takes: lesson_url, image_url, image_size, term

    def block(self, markdown: str) -> LessonText:
        return LessonText(markdown, partial(render_block, **self.resolvers))

    def inline(self, markdown: str) -> LessonText:
        return LessonText(markdown, partial(render_inline, **self.resolvers))


@dataclass
class _QuestionDraft:
    line: int
    prompt: list[str]
    type_name: str | None = None
    type_line: int = 0
    choices: list[list] = field(default_factory=list)  # [line, correct, text, notes, zone line, zone text]
    hints: list[str] = field(default_factory=list)
    picture: tuple[int, str, str] | None = None  # line, description, file
    steps: list[tuple[int, str]] = field(default_factory=list)
    accepted: list[tuple[int, str]] = field(default_factory=list)
    tolerances: tuple[int, str] | None = None
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
    problems, problem = problem_list(path)
    text = read_text(path, problem)
    if text is None:
        return ParsedLesson(None, problems)
    lines = text.splitlines()

    meta, body_start = _front_matter(lines, problem)
    if meta is None:
        return ParsedLesson(None, problems)
    verified_line = meta["_lines"].get("verified", 1)
    lesson_id, title, duration, objectives, pass_mark, sources, verified, dont_know = _check_meta(meta, problem)

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

    texts = _Texts({
        "lesson_url": lesson_url,
        "image_url": lambda src: image_url(_image_path(src)),
        "image_size": lambda src: size_or_none(path.parent / _image_path(src)),
        "term": term,
    })
    quiz = None
    if quiz_start is not None:
        quiz = _parse_quiz(quiz_lines, quiz_start + 2, problem, texts, path.parent, dont_know is not False)

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
        body=texts.block("\n".join(body_lines)),
        quiz=quiz,
        path=path,
        sources=sources,
        verified=verified,
        verified_line=verified_line,
        measure_readability=partial(readability.measure, learner_text),
        find_warnings=lambda: tuple(lesson_warnings(source, quiz, glossary, linked_words, official_domains)),
    )
    return ParsedLesson(lesson, problems, lesson_links)


def problem_list(path: Path):
    """The problems of one file, and the function that adds one at a line."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    return problems, problem


def read_text(path: Path, problem) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem(1, "le fichier n'est pas en UTF-8")
        return None


def split_front_matter(lines: list[str], problem, what: str = "de la leçon") -> tuple[dict | None, int]:
    """The header between the two « --- » lines, read, and the index of the line that closes it."""
    if not lines or lines[0].strip() != "---":
        problem(1, f"le fichier doit commencer par une ligne « --- » (l'en-tête {what})")
        return None, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problem(1, "l'en-tête n'est pas fermé par une ligne « --- »")
        return None, 0
    try:
        meta = load_yaml("\n".join(lines[1:end])) or {}
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        problem(line, f"en-tête illisible : {getattr(error, 'problem', None) or error}")
        return None, 0
    if not isinstance(meta, dict):
        problem(2, "l'en-tête doit être une liste de « clé: valeur »")
        return None, 0
    return meta, end


def _front_matter(lines, problem):
    meta, end = split_front_matter(lines, problem)
    if meta is None:
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

    sources = check_sources(meta.get("sources"), line_of("sources"), problem)

    verified = check_verified(meta.get("verified"), line_of("verified"), problem)
    dont_know = meta.get("dont_know", True)
    if not isinstance(dont_know, bool):
        problem(line_of("dont_know"), "« dont_know » s'écrit « dont_know: false » pour enlever « Je ne sais pas » des questions")
    return lesson_id, title.strip(), duration, [o.strip() for o in objectives], pass_mark, sources, verified, dont_know


def check_verified(verified, line: int, problem) -> datetime.date | None:
    """When the author last checked the file against the real service (« verified: 2026-12-01 »)."""
    if isinstance(verified, datetime.datetime):
        verified = verified.date()
    if not isinstance(verified, datetime.date):
        problem(
            line,
            "la date de vérification « verified » manque ou s'écrit mal : année-mois-jour, par exemple « verified: 2026-12-01 »",
        )
        return None
    return verified


def check_sources(sources, line: int, problem) -> tuple[Source, ...]:
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


def _parse_quiz(lines, first_line, problem, texts: _Texts, folder: Path, dont_know: bool) -> Quiz | None:
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
        elif match := _HINT.match(line):
            draft.hints.append(match["text"].strip())
            in_explanation = False
        elif match := _CHOICE.match(line):
            draft.choices.append([number, match["mark"] != " ", match["text"].strip(), [], 0, None])
            in_explanation = False
        elif (match := _ZONE.match(line)) and draft.choices and not in_explanation:
            draft.choices[-1][4:] = [number, match["values"].strip()]
        elif (match := _CHOICE_NOTE.match(line)) and draft.choices and not in_explanation:
            draft.choices[-1][3].append(match["text"].strip())
        elif match := _PICTURE.match(line):
            draft.picture = (number, match["alt"].strip(), match["src"])
        elif match := _STEP.match(line):
            draft.steps.append((number, match["text"].strip()))
        elif match := _ACCEPTED.match(line):
            draft.accepted.append((number, match["text"].strip()))
        elif match := _TOLERANCES.match(line):
            draft.tolerances = (number, match["text"].strip())
        elif match := _TYPE.match(line):
            draft.type_name, draft.type_line = match["value"].strip().lower(), number
        elif match := _ANSWER.match(line):
            draft.answer, draft.answer_line = match["value"].strip().lower(), number
        elif in_explanation:
            draft.explanation.append(line.strip())
        elif not (draft.choices or draft.steps or draft.accepted) and draft.answer is None and draft.picture is None:
            draft.prompt.append(line.strip())
        else:
            problem(number, f"ligne non comprise dans la question : « {line.strip()} »")
    if not drafts:
        problem(first_line - 1, "le quiz n'a aucune question : une question commence par « ### »")
        return None
    questions = [
        _build_question(f"q{i}", draft, problem, texts, folder)
        for i, draft in enumerate(drafts, start=1)
    ]
    if any(q is None for q in questions):
        return None
    source = "\n".join(lines).encode()
    return Quiz(tuple(questions), hashlib.sha256(source).hexdigest()[:16], dont_know)


def _build_question(key, draft: _QuestionDraft, problem, texts: _Texts, folder: Path) -> Question | None:
    errors_before = []

    def fail(line, message):
        errors_before.append(message)
        problem(line, message)

    question_type = _question_type(draft, fail)
    if not draft.explanation or not " ".join(draft.explanation).strip():
        fail(draft.line, "la question n'a pas d'« Explication : »")
    if question_type is None:
        return None
    _refuse_other_kinds_lines(draft, question_type, fail)

    extra: dict = {}
    choices: list[Choice] = []
    if question_type is QuestionType.TRUE_FALSE:
        if draft.answer not in ("vrai", "faux"):
            fail(draft.answer_line or draft.line, "une question vrai ou faux a besoin de « Réponse : vrai » ou « Réponse : faux »")
        choices = [Choice(k, texts.inline(label), k == draft.answer) for k, label in TRUE_FALSE_CHOICES]
    elif question_type is QuestionType.ORDER:
        choices = _order_steps(draft, fail, texts)
    elif question_type is QuestionType.TYPED:
        extra = _typed_answers(draft, fail)
    else:
        choices = _choices(draft, question_type, fail, texts)
        if question_type is QuestionType.TAP:
            extra["picture"], zones = _tap_picture(draft, fail, texts, folder)
            choices = [replace(choice, zone=zone) for choice, zone in zip(choices, zones, strict=False)]
    if errors_before:
        return None
    return Question(
        key=key,
        type=question_type,
        prompt=texts.block("\n".join(draft.prompt)),
        choices=tuple(choices),
        explanation=texts.block("\n".join(draft.explanation)),
        line=draft.line,
        hints=tuple(texts.inline(hint) for hint in draft.hints),
        **extra,
    )


def _refuse_other_kinds_lines(draft: _QuestionDraft, question_type: QuestionType, fail) -> None:
    """A line written for another kind of question is a mistake, not something to ignore."""
    allowed = {
        "choices": question_type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TAP),
        "answer": question_type is QuestionType.TRUE_FALSE,
        "picture": question_type is QuestionType.TAP,
        "steps": question_type is QuestionType.ORDER,
        "accepted": question_type is QuestionType.TYPED,
    }
    found = {
        "choices": [(c[0], "un choix « - [ ] »") for c in draft.choices],
        "answer": [(draft.answer_line, "« Réponse : »")] if draft.answer is not None else [],
        "picture": [(draft.picture[0], "« Image : »")] if draft.picture else [],
        "steps": [(line, "une étape « 1. »") for line, _ in draft.steps],
        "accepted": [(line, "« Réponse acceptée : »") for line, _ in draft.accepted]
        + ([(draft.tolerances[0], "« Tolérances : »")] if draft.tolerances else []),
    }
    zones = [(c[4], "« Zone : »") for c in draft.choices if c[5] is not None]
    if question_type is not QuestionType.TAP:
        found["zones"], allowed["zones"] = zones, False
    for kind, lines in found.items():
        if not allowed[kind] and lines:
            line, what = lines[0]
            fail(line, f"{what} ne va pas dans une question « {question_type.value} »")


def _choices(draft: _QuestionDraft, question_type: QuestionType, fail, texts: _Texts) -> list[Choice]:
    right = sum(1 for c in draft.choices if c[1])
    if len(draft.choices) < 2:
        fail(draft.line, "la question a besoin d'au moins deux choix « - [ ] »")
    elif right == 0:
        fail(draft.line, "la question n'a pas de bonne réponse : marquez-la avec « [x] »")
    elif right > 1 and question_type is QuestionType.SINGLE:
        fail(draft.type_line or draft.line, "« Type : choix unique » mais plusieurs réponses sont marquées « [x] »")
    keys = [choice_key(c[2]) for c in draft.choices]
    for (line, _, text, *_), k in zip(draft.choices, keys, strict=True):
        if keys.count(k) > 1:
            fail(line, f"le choix « {text} » est écrit deux fois")
    return [
        Choice(k, texts.inline(text), correct, texts.inline(" ".join(notes)) if notes else None)
        for (_, correct, text, notes, *_), k in zip(draft.choices, keys, strict=True)
    ]


def _tap_picture(draft: _QuestionDraft, fail, texts: _Texts, folder: Path) -> tuple[Picture | None, list[Zone | None]]:
    if draft.picture is None:
        fail(draft.line, "une question « touchez le bon endroit » a besoin d'une ligne « Image : ![ce que montre l'image](images/ecran.svg) »")
        return None, []
    line, alt, src = draft.picture
    file = (folder / _image_path(src)).resolve()
    if folder.resolve() not in file.parents or not file.is_file():
        return None, []  # the check of every image already reported it, with its line
    try:
        width, height = picture_size(file)
    except PictureError as error:
        fail(line, f"image « {src} » : {error}")
        return None, []
    if width > TAP_PICTURE_MAX_WIDTH:
        fail(line, f"image « {src} » : {width} pixels de large. Une image à toucher en fait {TAP_PICTURE_MAX_WIDTH} au plus, pour tenir sur un téléphone sans être réduite")
    zones = []
    for choice_line, _, text, _, zone_line, values in draft.choices:
        zones.append(_zone(text, choice_line, zone_line, values, width, height, fail))
    picture = Picture(url=texts.resolvers["image_url"](src), alt=alt, width=width, height=height)
    return picture, zones


def _zone(text, choice_line, zone_line, values, width, height, fail) -> Zone | None:
    if values is None:
        fail(choice_line, f"le choix « {text} » n'a pas de ligne « Zone : gauche haut largeur hauteur » en dessous")
        return None
    match = _ZONE_VALUES.match(values)
    if not match:
        fail(zone_line, f"« Zone : {values} » : écrivez 4 nombres entiers, gauche haut largeur hauteur, par exemple « Zone : 20 140 200 48 »")
        return None
    zone = Zone(*(int(v) for v in match.groups()))
    if zone.width == 0 or zone.height == 0 or zone.x + zone.width > width or zone.y + zone.height > height:
        fail(zone_line, f"la zone « {values} » sort de l'image, qui mesure {width} × {height} pixels")
        return None
    return zone


def _order_steps(draft: _QuestionDraft, fail, texts: _Texts) -> list[Choice]:
    if not ORDER_STEPS_MIN <= len(draft.steps) <= ORDER_STEPS_MAX:
        fail(
            draft.line,
            f"une question « remettez dans l'ordre » a de {ORDER_STEPS_MIN} à {ORDER_STEPS_MAX} étapes « 1. … » : celle-ci en a {len(draft.steps)}",
        )
    keys = [choice_key(text) for _, text in draft.steps]
    for (line, text), k in zip(draft.steps, keys, strict=True):
        if keys.count(k) > 1:
            fail(line, f"l'étape « {text} » est écrite deux fois")
    return [Choice(k, texts.inline(text), True) for (_, text), k in zip(draft.steps, keys, strict=True)]


def _typed_answers(draft: _QuestionDraft, fail) -> dict:
    accepted = tuple(text for _, text in draft.accepted if text)
    if not accepted:
        fail(draft.line, "une question « écrivez la réponse » a besoin d'au moins une ligne « Réponse acceptée : … »")
    tolerances = set()
    if draft.tolerances:
        line, text = draft.tolerances
        known = {t.value: t for t in Tolerance}
        for name in filter(None, (part.strip().lower() for part in text.split(","))):
            if name not in known:
                names = ", ".join(f"« {t} »" for t in known)
                fail(line, f"tolérance inconnue « {name} » : utilisez {names}, séparées par des virgules")
            else:
                tolerances.add(known[name])
    return {"accepted": accepted, "tolerances": frozenset(tolerances)}


def _question_type(draft: _QuestionDraft, fail) -> QuestionType | None:
    if draft.type_name is not None:
        for question_type in QuestionType:
            if draft.type_name == question_type.value:
                return question_type
        known = ", ".join(f"« {t.value} »" for t in QuestionType)
        fail(draft.type_line, f"type de question inconnu « {draft.type_name} » : utilisez {known}")
        return None
    if draft.picture is not None:
        return QuestionType.TAP
    if draft.steps:
        return QuestionType.ORDER
    if draft.accepted or draft.tolerances:
        return QuestionType.TYPED
    if draft.answer is not None and not draft.choices:
        return QuestionType.TRUE_FALSE
    right = sum(1 for c in draft.choices if c[1])
    return QuestionType.MULTIPLE if right > 1 else QuestionType.SINGLE


def _quiz_reading_lines(quiz_lines: list[str]) -> list[str]:
    """The quiz text a learner reads, without the author's markers."""
    reading = []
    markers = (_TYPE, _ANSWER, _PICTURE, _ZONE, _ACCEPTED, _TOLERANCES)
    for line in quiz_lines:
        if any(marker.match(line.strip()) for marker in markers):
            continue
        match = _EXPLANATION.match(line.strip()) or _HINT.match(line.strip())
        reading.append(match["text"] if match else line)
    return reading
