"""Practice scenarios (« exercices pratiques »): a safe step-by-step copy of a real procedure.

A scenario file (lessons/<module>/exercices/<slug>.md, format in lessons/README.md) is parsed
into screens made of parts the platform draws; `step` decides what one action on a screen does
and `demonstration` what « Montrez-moi » shows. Pure: no Flask, no database.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import partial
from pathlib import Path

from ..rules import SCENARIO_DURATION_MAX, SCENARIO_VALUE_MAX
from .model import LessonText, Problem, Source
from .parser import ID_PATTERN, check_sources, check_verified, problem_list, read_text, split_front_matter
from .rendering import LinkResolver, render_block
from .typography import french_spacing

FOLDER = "exercices"
FRONT_MATTER_KEYS = {"id", "title", "service", "lesson", "duration", "verified", "sources"}


class ScreenKind(Enum):
    SCREEN = "Écran"
    TRAP = "Piège"
    END = "Fin"


class PartKind(Enum):
    TEXT = "Texte"
    DOCUMENT = "Document"
    BUTTON = "Bouton"
    LINK = "Lien"
    FIELD = "Champ"
    CHOICE = "Choix"
    CHECKBOX = "Case"
    MESSAGES = "Messages"
    MESSAGE = "Message ouvert"
    CARD = "Carte bancaire"
    CODE = "Code reçu"


class InputKind(Enum):
    TEXT = "text"
    CHOICE = "choice"
    CHECKBOX = "checkbox"


class StepOutcome(Enum):
    RIGHT = "right"
    WRONG = "wrong"
    MISTAKE = "mistake"


# What a checked box sends; an unchecked one sends nothing.
CHECKED = "on"
CHECKBOX_STATES = {"cochée": True, "vide": False}

# Parts whose lines are followed by « - » items, and the keys each part accepts after « | ».
_ITEM_PARTS = {PartKind.DOCUMENT, PartKind.CHOICE, PartKind.MESSAGES, PartKind.MESSAGE}
_KEYS = {
    PartKind.FIELD: {"attendu", "indice", "exemple"},
    PartKind.CHOICE: {"indice"},
    PartKind.CHECKBOX: {"attendu", "indice"},
}
# Parts whose « | » pieces are positional: their number of pieces.
_POSITIONAL = {PartKind.MESSAGE: (1, 2), PartKind.CARD: (4, 4), PartKind.CODE: (2, 2)}
_ACTION_LINES = {"Bonne action", "Erreur", "Indice", "Revoir"}

_HEADING = re.compile(r"^##\s+(?P<kind>\S+)\s+(?P<id>\S+)\s*:\s*(?P<title>.+?)\s*$")
_LINE = re.compile(r"^(?P<kind>[^:|]+?)\s*:\s*(?P<rest>.*?)\s*$")
_ITEM = re.compile(r"^[-*]\s+(?P<text>.+?)\s*$")
_PIPE = re.compile(r"\s+\|\s+")
_ARROW = re.compile(r"^(?P<label>.+?)\s*->\s*(?P<target>\S+)$")
_RIGHT_OPTION = "(bon) "
_ITEM_LABEL = re.compile(r"\s+#(?P<label>[\w-]+)$")


@dataclass(frozen=True)
class Expected:
    """What a field expects: a pattern, a number (spaces, comma or point and « € » ignored) or a
    text (case, accents and surrounding spaces ignored)."""

    text: str
    pattern: re.Pattern | None = None

    def accepts(self, typed: str) -> bool:
        typed = typed.strip()
        if self.pattern is not None:
            return self.pattern.fullmatch(typed) is not None
        wanted, given = _number(self.text), _number(typed)
        if wanted is not None:
            return given is not None and (wanted == given if isinstance(wanted, Decimal) else given == wanted)
        return _folded(typed) == _folded(self.text)


def _number(text: str) -> Decimal | str | None:
    """A number as typed: « 1 284,12 € » is 1284.12; a code « 012345 » stays its digits."""
    compact = re.sub(r"[\s\u00a0\u202f€]", "", text).replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", compact):
        return None
    if compact.startswith("0") and "." not in compact:
        return compact
    try:
        return Decimal(compact)
    except InvalidOperation:
        return None


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class Input:
    """One value the screen's form sends: a text field, a choice or a box."""

    name: str
    kind: InputKind
    label: str
    hint: str = ""
    expected: Expected | None = None  # a text field's
    example: str = ""
    options: tuple[str, ...] = ()  # a choice's, the right one at right_option
    right_option: int = 0
    checked: bool = False  # a box's expected state

    def accepts(self, value: str) -> bool:
        if self.kind is InputKind.CHECKBOX:
            return (value == CHECKED) == self.checked
        if self.kind is InputKind.CHOICE:
            return value == str(self.right_option)
        return self.expected.accepts(value)

    @property
    def demonstrated(self) -> str:
        """The value « Montrez-moi » puts in: what the form sends when it is right."""
        if self.kind is InputKind.CHECKBOX:
            return CHECKED if self.checked else ""
        if self.kind is InputKind.CHOICE:
            return str(self.right_option)
        return self.example if self.expected.pattern is not None else self.expected.text


@dataclass(frozen=True)
class Item:
    """A line « - … » of a document, a choice, a list of messages or an opened message."""

    text: str
    label: str = ""  # a message's actionable label
    sender: str = ""


@dataclass(frozen=True)
class Part:
    kind: PartKind
    text: str  # the label, title, question or sender
    line: int
    items: tuple[Item, ...] = ()
    inputs: tuple[Input, ...] = ()
    extra: tuple[str, ...] = ()  # a card's number, expiry, cryptogram, name; a code's code, sender; a message's subject

    @property
    def labels(self) -> tuple[str, ...]:
        """The actionable labels this part draws."""
        if self.kind in (PartKind.BUTTON, PartKind.LINK):
            return (self.text,)
        if self.kind is PartKind.MESSAGES:
            return tuple(item.label for item in self.items)
        return ()


@dataclass(frozen=True)
class Action:
    label: str
    target: str
    line: int


@dataclass(frozen=True)
class Screen:
    id: str
    kind: ScreenKind
    title: str
    parts: tuple[Part, ...]
    right_actions: tuple[Action, ...]
    mistakes: tuple[Action, ...]
    hint: str
    review_lesson_id: str | None
    line: int

    @property
    def inputs(self) -> tuple[Input, ...]:
        return tuple(i for part in self.parts for i in part.inputs)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for part in self.parts for label in part.labels)

    @property
    def is_end(self) -> bool:
        return self.kind is ScreenKind.END

    @property
    def is_trap(self) -> bool:
        return self.kind is ScreenKind.TRAP


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    service: str
    lesson_id: str
    module_id: str
    duration: int
    intro: LessonText
    screens: dict[str, Screen]
    first_screen_id: str
    version: str
    path: Path
    sources: tuple[Source, ...]
    verified: datetime.date

    @property
    def intro_html(self) -> str:
        return self.intro.html

    def screen(self, screen_id: str) -> Screen | None:
        return self.screens.get(screen_id)


@dataclass(frozen=True)
class StepResult:
    outcome: StepOutcome
    next_screen_id: str
    hint: str | None = None
    field_errors: tuple[str, ...] = ()  # names of the inputs that were not right

    @property
    def right(self) -> bool:
        return self.outcome is StepOutcome.RIGHT


@dataclass(frozen=True)
class Demonstration:
    action_label: str
    values: dict[str, str]


class UnknownAction(ValueError):
    """An action or a screen no form of this scenario could have sent."""


# The step logic ---------------------------------------------------------------------------


def step(scenario: Scenario, screen_id: str, action_label: str, values: Mapping[str, str]) -> StepResult:
    screen = scenario.screen(screen_id)
    if screen is None or screen.is_end or action_label not in screen.labels:
        raise UnknownAction(action_label)
    mistake = next((a for a in screen.mistakes if a.label == action_label), None)
    if mistake is not None:
        return StepResult(StepOutcome.MISTAKE, mistake.target)
    right = next((a for a in screen.right_actions if a.label == action_label), None)
    if right is None:
        return StepResult(StepOutcome.WRONG, screen.id, screen.hint)
    wrong = [i for i in screen.inputs if not i.accepts(values.get(i.name, ""))]
    if wrong:
        return StepResult(StepOutcome.WRONG, screen.id, wrong_inputs_hint(screen, wrong), tuple(i.name for i in wrong))
    return StepResult(StepOutcome.RIGHT, right.target)


def wrong_inputs_hint(screen: Screen, wrong: Sequence[Input]) -> str:
    """What she reads when the right button is pressed with fields, choices or boxes not right:
    the first one's own hint, else the screen's."""
    return wrong[0].hint or screen.hint


def demonstration(scenario: Scenario, screen_id: str) -> Demonstration:
    screen = scenario.screen(screen_id)
    if screen is None or screen.is_end:
        raise UnknownAction(screen_id)
    return Demonstration(screen.right_actions[0].label, {i.name: i.demonstrated for i in screen.inputs})


# Parsing and validation -------------------------------------------------------------------


@dataclass
class ParsedScenario:
    scenario: Scenario | None
    problems: list[Problem]
    # (lesson id, line) of every lesson it names, checked by the library.
    lesson_links: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _ScreenDraft:
    id: str
    kind: ScreenKind
    title: str
    line: int
    parts: list[Part] = field(default_factory=list)
    right_actions: list[Action] = field(default_factory=list)
    mistakes: list[Action] = field(default_factory=list)
    hint: str = ""
    hint_line: int = 0
    review: tuple[str, int] | None = None


def parse_scenario_file(
    path: Path, module_id: str, lesson_url: LinkResolver = lambda i: f"/lecons/{i}"
) -> ParsedScenario:
    problems, problem = problem_list(path)
    text = read_text(path, problem)
    if text is None:
        return ParsedScenario(None, problems)
    lines = text.splitlines()
    meta, key_lines, body_start = _front_matter(lines, problem)
    if meta is None:
        return ParsedScenario(None, problems)
    checked = _check_meta(meta, key_lines, problem)
    links = [(checked["lesson"], key_lines.get("lesson", 1))] if checked["lesson"] else []

    first_heading = next((i for i in range(body_start, len(lines)) if lines[i].startswith("## ")), len(lines))
    intro = "\n".join(lines[body_start:first_heading]).strip()
    if not intro:
        problem(body_start + 1, "le texte d'introduction manque : dites ce que la personne va faire")
    drafts = _parse_screens(lines, first_heading, problem)
    links += [d.review for d in drafts if d.review]
    _check_screens(drafts, problem)
    if problems:
        return ParsedScenario(None, problems, links)
    screens = {
        d.id: Screen(
            d.id,
            d.kind,
            french_spacing(d.title),
            tuple(d.parts),
            tuple(d.right_actions),
            tuple(d.mistakes),
            french_spacing(d.hint),
            d.review[0] if d.review else None,
            d.line,
        )
        for d in drafts
    }
    scenario = Scenario(
        id=checked["id"],
        title=french_spacing(checked["title"]),
        service=checked["service"],
        lesson_id=checked["lesson"],
        module_id=module_id,
        duration=checked["duration"],
        intro=LessonText(intro, partial(render_block, lesson_url=lesson_url)),
        screens=screens,
        first_screen_id=next(d.id for d in drafts if d.kind is ScreenKind.SCREEN),
        version=hashlib.sha256(text.encode()).hexdigest()[:12],
        path=path,
        sources=checked["sources"],
        verified=checked["verified"],
    )
    return ParsedScenario(scenario, problems, links)


def _front_matter(lines: list[str], problem):
    """The header, the line of each of its keys, and where the introduction starts."""
    meta, end = split_front_matter(lines, problem, "de l'exercice")
    if meta is None:
        return None, {}, 0
    key_lines = {}
    for i, line in enumerate(lines[1:end], start=2):
        key = line.split(":", 1)[0]
        if ":" in line and not line[:1].isspace() and key not in key_lines:
            key_lines[key] = i
    return meta, key_lines, end + 1


def _check_meta(meta: dict, key_lines: dict[str, int], problem) -> dict:
    def line_of(key: str) -> int:
        return key_lines.get(key, 1)

    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            problem(line_of(key), f"clé inconnue dans l'en-tête : « {key} »")
    checked: dict = {}
    scenario_id = meta.get("id")
    if not isinstance(scenario_id, str) or not ID_PATTERN.match(scenario_id):
        problem(line_of("id"), "« id » manque ou est invalide : lettres minuscules, chiffres et « - » seulement")
    checked["id"] = scenario_id
    for key, what in (("title", "le titre"), ("service", "le nom du service"), ("lesson", "la leçon pratiquée")):
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            problem(line_of(key), f"« {key} » manque : {what}")
            value = ""
        checked[key] = value.strip()
    duration = meta.get("duration")
    if not isinstance(duration, int) or isinstance(duration, bool) or not 1 <= duration <= SCENARIO_DURATION_MAX:
        problem(
            line_of("duration"),
            f"la durée « duration » doit être un nombre de minutes entre 1 et {SCENARIO_DURATION_MAX}",
        )
    checked["duration"] = duration
    checked["sources"] = check_sources(meta.get("sources"), line_of("sources"), problem)
    checked["verified"] = check_verified(meta.get("verified"), line_of("verified"), problem)
    return checked


def _parse_screens(lines: list[str], start: int, problem) -> list[_ScreenDraft]:
    drafts: list[_ScreenDraft] = []
    kinds = {kind.value: kind for kind in ScreenKind}
    listing: Part | None = None  # the part the next « - » items belong to
    items: list[tuple[int, str]] = []

    def close_listing() -> None:
        nonlocal listing
        if listing is not None:
            drafts[-1].parts.append(_with_items(listing, items, problem))
        listing = None
        items.clear()

    for index in range(start, len(lines)):
        number, line = index + 1, lines[index].rstrip()
        if not line.strip():
            continue
        if line.startswith("## "):
            close_listing()
            heading = _HEADING.match(line)
            if heading is None or heading["kind"] not in kinds:
                problem(
                    number,
                    "titre d'écran non compris : écrivez « ## Écran <id> : <titre> », « ## Piège … » ou « ## Fin … »",
                )
                continue
            if not ID_PATTERN.match(heading["id"]):
                problem(
                    number, f"identifiant d'écran « {heading['id']} » invalide : lettres minuscules, chiffres et « - »"
                )
            drafts.append(_ScreenDraft(heading["id"], kinds[heading["kind"]], heading["title"], number))
            continue
        if not drafts:
            continue  # under a heading that was refused: already reported
        if (item := _ITEM.match(line)) and listing is not None:
            items.append((number, item["text"]))
            continue
        close_listing()
        parsed = _LINE.match(line)
        if parsed is None:
            problem(
                number,
                f"ligne non comprise : « {line.strip()} ». Écrivez « Sorte : valeur », par exemple « Bouton : Valider »",
            )
            continue
        kind, rest = parsed["kind"].strip(), parsed["rest"]
        if kind in _ACTION_LINES:
            _action_line(drafts[-1], kind, rest, number, problem)
            continue
        part_kind = next((k for k in PartKind if k.value == kind), None)
        if part_kind is None:
            known = ", ".join(f"« {k.value} »" for k in PartKind)
            problem(number, f"sorte de ligne inconnue « {kind} » : utilisez {known}, ou une action")
            continue
        part = _part(part_kind, rest, number, len(drafts[-1].parts), problem)
        if part is None:
            continue
        if part_kind in _ITEM_PARTS:
            listing = part
        else:
            drafts[-1].parts.append(part)
    close_listing()
    return drafts


def _pieces(kind: PartKind, rest: str, number: int, problem) -> tuple[str, dict[str, str]] | None:
    value, *pairs = _PIPE.split(rest)
    keys: dict[str, str] = {}
    for pair in pairs:
        key, colon, text = pair.partition(":")
        key = key.strip()
        if not colon or key not in _KEYS.get(kind, set()):
            allowed = ", ".join(f"« {k} »" for k in sorted(_KEYS.get(kind, ()))) or "aucune"
            problem(number, f"« {kind.value} » : clé inconnue « {key} » (clés possibles : {allowed})")
            return None
        keys[key] = text.strip()
    if not value.strip():
        problem(number, f"« {kind.value} » sans texte après « : »")
        return None
    return value.strip(), keys


def _part(kind: PartKind, rest: str, number: int, position: int, problem) -> Part | None:
    name = f"p{position}"
    if kind in _POSITIONAL:
        low, high = _POSITIONAL[kind]
        pieces = [piece.strip() for piece in _PIPE.split(rest.rstrip("|").strip())]
        if not low <= len(pieces) <= high or not all(pieces[:low]):
            shapes = {
                PartKind.MESSAGE: "« Message ouvert : expéditeur | objet »",
                PartKind.CARD: "« Carte bancaire : numéro | MM/AA | cryptogramme | nom »",
                PartKind.CODE: "« Code reçu : code | expéditeur »",
            }
            problem(number, f"écrivez {shapes[kind]}, les parties séparées par « | »")
            return None
        return _positional_part(kind, pieces, number, name)
    pieces = _pieces(kind, rest, number, problem)
    if pieces is None:
        return None
    value, keys = pieces
    value = french_spacing(value)
    hint = french_spacing(keys.get("indice", ""))
    if len(value) > SCENARIO_VALUE_MAX:
        problem(number, f"texte trop long : {SCENARIO_VALUE_MAX} caractères au plus par ligne")
        return None
    if kind is PartKind.FIELD:
        expected = _expected(keys.get("attendu"), keys.get("exemple", ""), number, problem)
        if expected is None:
            return None
        field_input = Input(name, InputKind.TEXT, value, hint, expected, keys.get("exemple", ""))
        return Part(kind, value, number, inputs=(field_input,))
    if kind is PartKind.CHECKBOX:
        state = keys.get("attendu", "").lower()
        if state not in CHECKBOX_STATES:
            problem(number, "une « Case » a besoin de « | attendu : cochée » ou « | attendu : vide »")
            return None
        return Part(
            kind, value, number, inputs=(Input(name, InputKind.CHECKBOX, value, hint, checked=CHECKBOX_STATES[state]),)
        )
    if kind is PartKind.CHOICE:
        return Part(kind, value, number, inputs=(Input(name, InputKind.CHOICE, value, hint),))
    return Part(kind, value, number)


def _positional_part(kind: PartKind, pieces: list[str], number: int, name: str) -> Part:
    if kind is PartKind.CARD:
        card_number, expiry, cvc, _holder = pieces
        inputs = (
            Input(
                f"{name}-numero",
                InputKind.TEXT,
                "Numéro de la carte",
                "Recopiez les 16 chiffres de la carte.",
                Expected(card_number),
            ),
            Input(
                f"{name}-date",
                InputKind.TEXT,
                "Date d'expiration (MM/AA)",
                "Recopiez la date écrite sur la carte, par exemple 12/28.",
                Expected(expiry),
            ),
            Input(
                f"{name}-cryptogramme",
                InputKind.TEXT,
                "Cryptogramme (3 chiffres)",
                "Recopiez les 3 chiffres du cryptogramme, au dos de la carte.",
                Expected(cvc),
            ),
        )
        return Part(kind, "Carte bancaire", number, inputs=inputs, extra=tuple(pieces))
    if kind is PartKind.CODE:
        code_input = Input(name, InputKind.TEXT, "Code reçu par SMS", "Recopiez le code du SMS.", Expected(pieces[0]))
        return Part(kind, pieces[1], number, inputs=(code_input,), extra=tuple(pieces))
    return Part(kind, pieces[0], number, extra=tuple(pieces[1:]))


def _expected(text: str | None, example: str, number: int, problem) -> Expected | None:
    if not text:
        problem(number, "un « Champ » a besoin de « | attendu : <la valeur à écrire> »")
        return None
    if len(text) > 2 and text.startswith("/") and text.endswith("/"):
        try:
            pattern = re.compile(text[1:-1])
        except re.error as error:
            problem(number, f"modèle « {text} » incorrect : {error}")
            return None
        if not example or pattern.fullmatch(example) is None:
            problem(
                number,
                "un champ avec un modèle « /…/ » a besoin d'un « | exemple : … » qui lui correspond (« Montrez-moi » l'écrit)",
            )
            return None
        return Expected(text, pattern)
    return Expected(text)


def _with_items(part: Part, items: list[tuple[int, str]], problem) -> Part:
    if part.kind is PartKind.CHOICE:
        options = [text.removeprefix(_RIGHT_OPTION) for _, text in items]
        right = [n for n, (_, text) in enumerate(items) if text.startswith(_RIGHT_OPTION)]
        if len(right) != 1:
            problem(
                part.line,
                f"un « Choix » a besoin d'exactement une option marquée « {_RIGHT_OPTION.strip()} » (ici {len(right)})",
            )
        if len(options) < 2:
            problem(part.line, "un « Choix » a besoin d'au moins deux options « - … »")
        only = part.inputs[0]
        choice = Input(
            only.name,
            InputKind.CHOICE,
            only.label,
            only.hint,
            options=tuple(french_spacing(o) for o in options),
            right_option=right[0] if right else 0,
        )
        return Part(part.kind, part.text, part.line, inputs=(choice,))
    if part.kind is PartKind.MESSAGES:
        messages = []
        for line, text in items:
            label_match = _ITEM_LABEL.search(text)
            text = text[: label_match.start()] if label_match else text
            sender, _, preview = (piece.strip() for piece in text.partition("|"))
            messages.append(
                Item(
                    french_spacing(preview),
                    label_match["label"] if label_match else french_spacing(sender),
                    french_spacing(sender),
                )
            )
            if not preview:
                problem(line, "un message s'écrit « - expéditeur | début du message »")
        return Part(part.kind, part.text, part.line, items=tuple(messages))
    if not items and part.kind is PartKind.DOCUMENT:
        problem(part.line, "un « Document » a besoin de lignes « - … » en dessous")
    return Part(
        part.kind, part.text, part.line, items=tuple(Item(french_spacing(text)) for _, text in items), extra=part.extra
    )


def _action_line(draft: _ScreenDraft, kind: str, rest: str, number: int, problem) -> None:
    if kind == "Indice":
        if draft.hint:
            problem(number, "un seul « Indice : » par écran")
        draft.hint, draft.hint_line = rest, number
    elif kind == "Revoir":
        if not ID_PATTERN.match(rest):
            problem(number, f"« Revoir : {rest} » : écrivez l'identifiant d'une leçon")
        else:
            draft.review = (rest, number)
    else:
        arrow = _ARROW.match(rest)
        if arrow is None:
            problem(number, f"écrivez « {kind} : <bouton, lien ou message> -> <identifiant d'écran> »")
            return
        action = Action(french_spacing(arrow["label"].strip()), arrow["target"], number)
        (draft.right_actions if kind == "Bonne action" else draft.mistakes).append(action)


def _check_screens(drafts: list[_ScreenDraft], problem) -> None:
    if not any(d.kind is ScreenKind.SCREEN for d in drafts):
        problem(1, "l'exercice n'a pas d'écran : le premier « ## Écran … » est celui où il commence")
        return
    if not any(d.kind is ScreenKind.END for d in drafts):
        problem(drafts[-1].line, "l'exercice n'a pas de fin : ajoutez un « ## Fin … »")
    by_id: dict[str, _ScreenDraft] = {}
    for draft in drafts:
        if draft.id in by_id:
            problem(draft.line, f"identifiant d'écran « {draft.id} » déjà utilisé ligne {by_id[draft.id].line}")
        else:
            by_id[draft.id] = draft
    for draft in drafts:
        _check_screen(draft, by_id, problem)
    _check_paths(drafts, by_id, problem)


def _check_screen(draft: _ScreenDraft, by_id: dict[str, _ScreenDraft], problem) -> None:
    labels: dict[str, int] = {}
    for part in draft.parts:
        for label in part.labels:
            if label in labels:
                problem(
                    part.line,
                    f"« {label} » est déjà sur cet écran (ligne {labels[label]}) : chaque bouton, lien ou message a un nom à lui",
                )
            labels.setdefault(label, part.line)
    actions = draft.right_actions + draft.mistakes
    if draft.kind is ScreenKind.END:
        if actions or draft.hint:
            problem(
                (actions[0].line if actions else draft.hint_line),
                "un écran « Fin » n'a pas d'action ni d'indice : il termine l'exercice",
            )
        return
    if not draft.right_actions:
        problem(draft.line, "cet écran n'a pas de « Bonne action : … -> … »")
    if not draft.hint:
        problem(draft.line, "cet écran n'a pas d'« Indice : … » pour une mauvaise action")
    seen: set[str] = set()
    for action in actions:
        if action.label not in labels:
            problem(action.line, f"« {action.label} » n'est pas un bouton, un lien ou un message de cet écran")
        if action.target not in by_id:
            problem(action.line, f"écran inconnu « {action.target} »")
        if action.label in seen:
            problem(action.line, f"« {action.label} » a déjà une action sur cet écran")
        seen.add(action.label)


def _check_paths(drafts: list[_ScreenDraft], by_id: dict[str, _ScreenDraft], problem) -> None:
    def targets(draft: _ScreenDraft) -> list[str]:
        return [a.target for a in draft.right_actions + draft.mistakes if a.target in by_id]

    first = next(d for d in drafts if d.kind is ScreenKind.SCREEN)
    reachable = _closure([first.id], lambda screen_id: targets(by_id[screen_id]))
    callers: dict[str, list[str]] = {screen_id: [] for screen_id in by_id}
    for draft in by_id.values():
        for target in targets(draft):
            callers[target].append(draft.id)
    ending = _closure([d.id for d in by_id.values() if d.kind is ScreenKind.END], callers.__getitem__)
    for draft in by_id.values():
        if draft.id not in reachable:
            problem(
                draft.line, f"l'écran « {draft.id} » ne peut pas être atteint depuis le premier écran « {first.id} »"
            )
        elif draft.id not in ending:
            problem(draft.line, f"impasse : depuis l'écran « {draft.id} », aucune action ne mène à une « Fin »")


def _closure(start: list[str], neighbours: Callable[[str], list[str]]) -> set[str]:
    found, todo = set(start), list(start)
    while todo:
        for other in neighbours(todo.pop()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


# A run's result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    """What the result page says: the screens done alone, those that needed help (a hint or
    « Montrez-moi »), the traps fallen into, and the lessons to read again."""

    alone: tuple[Screen, ...]
    helped: tuple[Screen, ...]
    traps: tuple[Screen, ...]
    review_lesson_ids: tuple[str, ...]


def summarise(scenario: Scenario, steps: list[tuple[str, str]]) -> RunSummary:
    """steps: (screen id, outcome value) in order, as recorded ('shown' for « Montrez-moi »)."""
    needed_help: dict[str, bool] = {}
    traps: dict[str, None] = {}
    for screen_id, outcome in steps:
        screen = scenario.screen(screen_id)
        if screen is None:
            continue
        if screen.is_trap:
            traps[screen_id] = None
            continue
        needed_help[screen_id] = needed_help.get(screen_id, False) or outcome != StepOutcome.RIGHT.value
    helped = [scenario.screens[i] for i, helped in needed_help.items() if helped]
    reviews = [s.review_lesson_id or scenario.lesson_id for s in helped]
    if traps and scenario.lesson_id not in reviews:
        reviews.append(scenario.lesson_id)
    return RunSummary(
        alone=tuple(scenario.screens[i] for i, helped in needed_help.items() if not helped),
        helped=tuple(helped),
        traps=tuple(scenario.screens[i] for i in traps),
        review_lesson_ids=tuple(dict.fromkeys(reviews)),
    )


def screen_values(screen: Screen, form: Mapping[str, str], max_length: int) -> dict[str, str]:
    """The values the screen's form sent for its own inputs (anything else is ignored), cut to max_length."""
    return {i.name: str(form.get(i.name, ""))[:max_length] for i in screen.inputs}
