"""People's and groups' names, typed or imported: pure functions, no app and no database
(flask_babel's gettext answers in French outside a request).

Every name field goes through clean_name(): NFKC-normalised (a fullwidth "Ａｍｉｎａ" is "Amina"),
spaces collapsed, and invisible or bidirectional control characters refused (they make one
name look like another on screen or in a spreadsheet).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from .rules import FIRST_NAME_MAX, GROUP_NAME_MAX

# Each password is hashed with scrypt (about 0.12 s here) in the request that imports: 100 stay
# well within a worker's timeout, and a workshop group is 12 to 20 people.
MAX_IMPORT_LINES = 100
USERNAME_BASE_LENGTH = 30
# Letters of any alphabet, spaces, hyphens, apostrophes and dots: nothing else in a person's name.
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?$")
# Format characters (zero-width spaces and joiners, bidirectional marks and overrides), controls,
# line and paragraph separators, private use and unassigned code points.
REFUSED_CATEGORIES = {"Cf", "Cc", "Zl", "Zp", "Co", "Cn", "Cs"}
CSV_FIRST_NAME_HEADERS = {"prenom", "prenoms", "first name", "firstname", "prenom nom", "nom prenom"}
CSV_LAST_NAME_HEADERS = {"nom", "nom de famille", "last name", "lastname", "initiale"}


class RefusedName(ValueError):
    """A name that cannot be used, with a message for the person (already translated)."""


@dataclass(frozen=True)
class NameEntry:
    line: int
    first_name: str
    last_initial: str = ""


@dataclass(frozen=True)
class LineError:
    line: int
    text: str
    message: str


def clean_name(text: str) -> str:
    """The one check of every name typed or imported; raises RefusedName."""
    text = unicodedata.normalize("NFKC", text.replace("\u00a0", " ").replace("\t", " "))
    if any(unicodedata.category(c) in REFUSED_CATEGORIES for c in text):
        raise RefusedName(_("Ce nom contient un caractère invisible ou de contrôle. Écrivez-le de nouveau, sans le copier-coller."))
    return " ".join(text.split())


def name_key(name: str) -> str:
    """What makes two names the same: "Équipe Été" and "équipe été" are one."""
    return clean_name(name).casefold()


def fold(text: str) -> str:
    """Lowercase ASCII without accents: "Éloïse" -> "eloise"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def username_base(first_name: str) -> str:
    base = re.sub(r"[^a-z0-9]", "", fold(first_name))[:USERNAME_BASE_LENGTH]
    return base or "participant"


def _capitalise(word: str) -> str:
    # "jean-pierre" -> "Jean-Pierre"; keeps "Amina" and "N'Dour" as typed otherwise.
    return re.sub(r"(^|[ '’-])([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), word)


def _initial_of(family: str) -> str:
    letters = [c for c in family if c.isalpha()]
    return f"{letters[0].upper()}." if letters else ""


# Words that start a family name on one line (« Samira El Amrani »), and Vietnamese family names and
# middle names (« Nguyễn Thị Lan »: the family name comes first).
PARTICLES = {"el", "al", "ben", "bin", "ibn", "abou", "abu", "ait", "aït", "bou", "de", "du", "des", "da", "das",
             "do", "dos", "di", "van", "von", "der", "den", "ter", "le", "la", "ould", "saint"}
VIETNAMESE_FAMILIES = {"nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ",
                       "hồ", "ngô", "dương", "lý", "đinh", "trịnh", "lương", "đào",
                       "nguyen", "tran", "pham", "hoang", "huynh", "dang", "bui", "ngo", "duong", "trinh"}
VIETNAMESE_MIDDLES = {"thị", "văn", "đức", "hữu", "ngọc", "thi", "van", "duc", "huu", "ngoc"}


def parse_name(first: str, family: str = "") -> tuple[str, str]:
    """A first name and an initial from "Amina", "Amina D.", "Amina Diallo" (or two columns).

    On one line the family name is the last word, or starts at a particle (« Samira El Amrani »:
    Samira, E.; « Ana da Silva »: Ana, S.). A particle written small is skipped for the initial,
    as in a French directory (« da Silva » under S, « Le Gall » under L). A Vietnamese name puts the
    family name first (« Nguyễn Thị Lan »: Thị Lan, N.).
    """
    first, family = clean_name(first), clean_name(family)
    if not first and not family:
        raise RefusedName(_("La ligne est vide."))
    if not family and " " in first:
        words = first.split(" ")
        if words[0].lower() in VIETNAMESE_FAMILIES and (words[1].lower() in VIETNAMESE_MIDDLES or len(words) == 2):
            family, first = words[0], " ".join(words[1:])
        else:
            starts = next((i for i, word in enumerate(words[1:-1], start=1) if word.lower() in PARTICLES), len(words) - 1)
            first, family = " ".join(words[:starts]), " ".join(words[starts:])
    if not first:
        raise RefusedName(_("Il manque le prénom."))
    if len(first) > FIRST_NAME_MAX:
        raise RefusedName(_("Le prénom est trop long (%(max)d caractères au plus).", max=FIRST_NAME_MAX))
    for part in (first, family):
        if part and not NAME_PATTERN.match(part):
            raise RefusedName(_("Un prénom ou un nom ne peut contenir que des lettres, des espaces, des tirets ou des apostrophes."))
    family_words = family.split(" ")
    # The initial is that of the first word written with a capital ("da Silva": S); all small: the first word.
    main = next((word for word in family_words if word[:1].isupper()), family_words[0])
    return _capitalise(first.rstrip(".")), _initial_of(main)


def group_name(name: str) -> str:
    name = clean_name(name)
    if not name:
        raise RefusedName(_("Écrivez le nom du groupe."))
    if len(name) > GROUP_NAME_MAX:
        raise RefusedName(_("Le nom du groupe est trop long (%(max)d caractères au plus).", max=GROUP_NAME_MAX))
    return name


def parse_pasted_names(text: str) -> tuple[list[NameEntry], list[LineError]]:
    """One person a line; blank lines are skipped. Line numbers are those of the text."""
    entries, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entries.append(NameEntry(number, *parse_name(raw)))
        except RefusedName as error:
            errors.append(LineError(number, raw.strip()[:200], str(error)))
    _check_size(entries, errors)
    return entries, errors


def decode_upload(data: bytes) -> str:
    """UTF-8 with or without BOM; a file saved by an older Excel in Windows-1252 also works."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class _Semicolons(csv.excel):
    delimiter = ";"


class _Commas(csv.excel):
    delimiter = ","


def _dialect(sample: str) -> type[csv.Dialect]:
    """csv.Sniffer's guess, or ; or , by count: a dialect of our own, never csv.excel changed."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        return _Semicolons if sample.count(";") >= sample.count(",") else _Commas


def parse_csv_names(data: bytes) -> tuple[list[NameEntry], list[LineError]]:
    """A CSV with ; or , (found by csv.Sniffer), with or without a "prénom"/"nom" header."""
    text = decode_upload(data)
    if not text.strip():
        return [], [LineError(1, "", _("Le fichier est vide."))]
    dialect = _dialect(text[:4096])
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    entries, errors = [], []
    first_col, family_col = 0, None
    try:
        for row in reader:
            number = reader.line_num
            cells = [" ".join(cell.split()) for cell in row]
            if not any(cells):
                continue
            headers = [fold(cell) for cell in cells]
            if number == 1 and set(headers) & (CSV_FIRST_NAME_HEADERS | CSV_LAST_NAME_HEADERS):
                first_col = next((i for i, h in enumerate(headers) if h in CSV_FIRST_NAME_HEADERS), 0)
                family_col = next((i for i, h in enumerate(headers) if h in CSV_LAST_NAME_HEADERS), None)
                continue
            if family_col is None and number == 1 and len(cells) >= 2:
                family_col = 1
            first = cells[first_col] if first_col < len(cells) else ""
            family = cells[family_col] if family_col is not None and family_col < len(cells) else ""
            try:
                entries.append(NameEntry(number, *parse_name(first, family)))
            except RefusedName as error:
                errors.append(LineError(number, dialect.delimiter.join(row)[:200], str(error)))
    except csv.Error:  # a cell longer than csv.field_size_limit(), or a stray NUL
        errors.append(LineError(reader.line_num, "", _("Cette ligne du fichier est illisible : une case est trop longue.")))
    _check_size(entries, errors)
    return entries, errors


def _check_size(entries: list[NameEntry], errors: list[LineError]) -> None:
    if not entries and not errors:
        errors.append(LineError(1, "", _("La liste est vide : écrivez un prénom par ligne.")))
    elif len(entries) > MAX_IMPORT_LINES:
        errors.append(LineError(entries[MAX_IMPORT_LINES].line, "", _("Pas plus de %(max)d personnes à la fois.", max=MAX_IMPORT_LINES)))
