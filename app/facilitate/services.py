"""Account management for the facilitator workspace: one public function per use case,
each committing once. Views call these; they never write to the database themselves.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..models import Group, Role, SignInToken, User, group_facilitator, utcnow
from .passwords import generate_password

MAX_IMPORT_LINES = 1000
USERNAME_BASE_LENGTH = 30
# Letters of any alphabet, spaces, hyphens, apostrophes and dots: nothing else in a name.
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?$")
CSV_FIRST_NAME_HEADERS = {"prenom", "prenoms", "first name", "firstname", "prenom nom", "nom prenom"}
CSV_LAST_NAME_HEADERS = {"nom", "nom de famille", "last name", "lastname", "initiale"}


class AccountError(ValueError):
    """A use case refused, with a message for the person (already translated)."""


# Names and usernames -------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase ASCII without accents: "Éloïse" -> "eloise"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def username_base(first_name: str) -> str:
    base = re.sub(r"[^a-z0-9]", "", fold(first_name))[:USERNAME_BASE_LENGTH]
    return base or "participant"


def allocate_usernames(first_names: list[str]) -> list[str]:
    """Distinct free usernames, in order: amina, amina2, amina3… (one query)."""
    bases = [username_base(name) for name in first_names]
    distinct = sorted(set(bases))
    taken: set[str] = set()
    for start in range(0, len(distinct), 200):  # keep each statement's parameter list short
        chunk = distinct[start : start + 200]
        taken |= {
            name.lower()
            for name in db.session.scalars(
                select(User.username).where(or_(*(func.lower(User.username).like(f"{b}%") for b in chunk)))
            )
        }
    result = []
    for base in bases:
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}"
        taken.add(candidate)
        result.append(candidate)
    return result


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


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _capitalise(word: str) -> str:
    # "jean-pierre" -> "Jean-Pierre"; keeps "Amina" and "N'Dour" as typed otherwise.
    return re.sub(r"(^|[ '’-])([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), word)


def _initial_of(family: str) -> str:
    letters = [c for c in family if c.isalpha()]
    return f"{letters[0].upper()}." if letters else ""


def parse_name(first: str, family: str = "") -> tuple[str, str]:
    """A first name and an initial from "Amina", "Amina D.", "Amina Diallo" (or two columns).

    On one line the family name is the last word, or starts at a particle (« Samira El Amrani »:
    Samira, E.; « Ana da Silva »: Ana, S.). A particle written small is skipped for the initial,
    as in a French directory (« da Silva » under S, « Le Gall » under L). A Vietnamese name puts the
    family name first (« Nguyễn Thị Lan »: Thị Lan, N.).
    """
    particles = {"el", "al", "ben", "bin", "ibn", "abou", "abu", "ait", "aït", "bou", "de", "du", "des", "da", "das",
                 "do", "dos", "di", "van", "von", "der", "den", "ter", "le", "la", "ould", "saint"}
    vietnamese_families = {"nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ",
                           "hồ", "ngô", "dương", "lý", "đinh", "trịnh", "lương", "đào",
                           "nguyen", "tran", "pham", "hoang", "huynh", "dang", "bui", "ngo", "duong", "trinh"}
    vietnamese_middles = {"thị", "văn", "đức", "hữu", "ngọc", "thi", "van", "duc", "huu", "ngoc"}
    first, family = _clean(first), _clean(family)
    if not first and not family:
        raise AccountError(_("La ligne est vide."))
    if not family and " " in first:
        words = first.split(" ")
        if words[0].lower() in vietnamese_families and len(words) > 1 and (
            words[1].lower() in vietnamese_middles or len(words) == 2
        ):
            family, first = words[0], " ".join(words[1:])
        else:
            starts = next((i for i, word in enumerate(words[1:-1], start=1) if word.lower() in particles), len(words) - 1)
            first, family = " ".join(words[:starts]), " ".join(words[starts:])
    if not first:
        raise AccountError(_("Il manque le prénom."))
    for part in (first, family):
        if part and not NAME_PATTERN.match(part):
            raise AccountError(_("Un prénom ou un nom ne peut contenir que des lettres, des espaces, des tirets ou des apostrophes."))
    if len(first) > 80:
        raise AccountError(_("Le prénom est trop long (80 caractères au plus)."))
    family_words = family.split(" ")
    # The initial is that of the first word written with a capital ("da Silva": S); all small: the first word.
    main = next((word for word in family_words if word[:1].isupper()), family_words[0])
    return _capitalise(first.rstrip(".")), _initial_of(main)


def parse_pasted_names(text: str) -> tuple[list[NameEntry], list[LineError]]:
    """One person a line; blank lines are skipped. Line numbers are those of the text."""
    entries, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entries.append(NameEntry(number, *parse_name(raw)))
        except AccountError as error:
            errors.append(LineError(number, raw.strip(), str(error)))
    _check_size(entries, errors)
    return entries, errors


def decode_upload(data: bytes) -> str:
    """UTF-8 with or without BOM; a file saved by an older Excel in Windows-1252 also works."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_csv_names(data: bytes) -> tuple[list[NameEntry], list[LineError]]:
    """A CSV with ; or , (found by csv.Sniffer), with or without a "prénom"/"nom" header."""
    text = decode_upload(data)
    if not text.strip():
        return [], [LineError(1, "", _("Le fichier est vide."))]
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    entries, errors = [], []
    first_col, family_col = 0, None
    for row in reader:
        number = reader.line_num
        cells = [_clean(cell) for cell in row]
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
        except AccountError as error:
            errors.append(LineError(number, dialect.delimiter.join(row), str(error)))
    _check_size(entries, errors)
    return entries, errors


def _check_size(entries: list[NameEntry], errors: list[LineError]) -> None:
    if not entries and not errors:
        errors.append(LineError(1, "", _("La liste est vide : écrivez un prénom par ligne.")))
    elif len(entries) > MAX_IMPORT_LINES:
        errors.append(LineError(entries[MAX_IMPORT_LINES].line, "", _("Pas plus de %(max)d personnes à la fois.", max=MAX_IMPORT_LINES)))


# Passwords and card tokens ---------------------------------------------------------------


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_card_token() -> str:
    return secrets.token_urlsafe(32)


def _replace_tokens(user_ids: Iterable[int]) -> dict[int, str]:
    """New card tokens for these people (the old ones stop working); caller commits."""
    user_ids = list(user_ids)
    tokens = {user_id: new_card_token() for user_id in user_ids}
    if not user_ids:
        return tokens
    db.session.execute(delete(SignInToken).where(SignInToken.user_id.in_(user_ids)))
    now = utcnow()
    db.session.execute(
        insert(SignInToken),
        [{"user_id": uid, "token_hash": hash_token(tok), "created_at": now} for uid, tok in tokens.items()],
    )
    return tokens


@dataclass
class Card:
    """What is printed on one sign-in card. The password is None when it was not changed."""

    user_id: int
    first_name: str
    display_name: str
    username: str
    token: str
    password: str | None = None
    # Filled in by the view: the card's address and its QR code as SVG.
    url: str = ""
    qr: str = ""


def print_cards(users: list[User], new_passwords: bool) -> list[Card]:
    """Fresh QR tokens (and passwords if asked) for these people, in one commit."""
    tokens = _replace_tokens(user.id for user in users)
    passwords = {}
    for user in users:
        if new_passwords:
            passwords[user.id] = generate_password()
            user.password_hash = hash_password(passwords[user.id])
    db.session.commit()
    return [
        Card(u.id, u.first_name, u.display_name, u.username, tokens[u.id], passwords.get(u.id)) for u in users
    ]


def revoke_card(user: User) -> None:
    db.session.execute(delete(SignInToken).where(SignInToken.user_id == user.id))
    db.session.commit()


def user_for_card_token(token: str) -> User | None:
    """The active person whose card carries this token; notes when it was used."""
    if not token or len(token) > 128:
        return None
    row = db.session.execute(
        select(SignInToken).where(SignInToken.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return user


# Participants ----------------------------------------------------------------------------


def create_participant(group: Group, first_name: str, last_initial: str = "") -> Card:
    """One new participant in this group, with a password and a card token."""
    first_name, last_initial = parse_name(first_name, last_initial)
    password = generate_password()
    password_hash = hash_password(password)
    for _attempt in range(2):
        username = allocate_usernames([first_name])[0]
        user = User(
            username=username, first_name=first_name, last_initial=last_initial,
            role=Role.PARTICIPANT, group_id=group.id, password_hash=password_hash,
        )
        db.session.add(user)
        try:
            db.session.flush()
            token = _replace_tokens([user.id])[user.id]
            db.session.commit()
        except IntegrityError:  # the same username was taken at the same moment: once more
            db.session.rollback()
            continue
        return Card(user.id, user.first_name, user.display_name, user.username, token, password)
    raise AccountError(_("Le compte n'a pas pu être créé. Réessayez."))


@dataclass
class ImportRun:
    """A bulk import, run step by step so the page can show its progress.

    Passwords are hashed first (the slow part: scrypt, about 0.2 s each on a small
    server), then every account is created in one transaction: all or nothing.
    """

    group_id: int
    entries: list[NameEntry]
    every: int = 10
    cards: list[Card] = field(default_factory=list)
    failed: bool = False

    @property
    def total(self) -> int:
        return len(self.entries)

    def steps(self) -> Iterator[int]:
        passwords = [generate_password() for _entry in self.entries]
        hashes = []
        for done, password in enumerate(passwords, start=1):
            hashes.append(hash_password(password))
            if done % self.every == 0 and done < self.total:
                yield done
        yield self.total
        self._create(passwords, hashes)

    def run(self) -> list[Card]:
        for _step in self.steps():
            pass
        return self.cards

    def _create(self, passwords: list[str], hashes: list[str]) -> None:
        for _attempt in range(2):
            try:
                usernames = allocate_usernames([e.first_name for e in self.entries])
                users = [
                    User(
                        username=username, first_name=entry.first_name, last_initial=entry.last_initial,
                        role=Role.PARTICIPANT, group_id=self.group_id, password_hash=password_hash,
                    )
                    for entry, username, password_hash in zip(self.entries, usernames, hashes, strict=True)
                ]
                db.session.add_all(users)
                db.session.flush()
                tokens = _replace_tokens(u.id for u in users)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                continue
            self.cards = [
                Card(u.id, u.first_name, u.display_name, u.username, tokens[u.id], password)
                for u, password in zip(users, passwords, strict=True)
            ]
            return
        self.failed = True


def reset_password(user: User) -> str:
    password = generate_password()
    user.password_hash = hash_password(password)
    db.session.commit()
    return password


def set_active(user: User, active: bool) -> None:
    """Deactivating also revokes the card: a lost phone stays signed out."""
    user.active = active
    if not active:
        db.session.execute(delete(SignInToken).where(SignInToken.user_id == user.id))
    db.session.commit()


# Groups and facilitators (admin) -------------------------------------------------------------


def _group_name(name: str) -> str:
    name = _clean(name)
    if not name:
        raise AccountError(_("Écrivez le nom du groupe."))
    if len(name) > 120:
        raise AccountError(_("Le nom du groupe est trop long (120 caractères au plus)."))
    return name


def _name_taken(name: str, except_id: int | None = None) -> bool:
    query = select(func.count()).select_from(Group).where(func.lower(Group.name) == name.lower())
    if except_id is not None:
        query = query.where(Group.id != except_id)
    return bool(db.session.scalar(query))


def create_group(name: str) -> Group:
    name = _group_name(name)
    if _name_taken(name):
        raise AccountError(_("Un groupe porte déjà ce nom."))
    group = Group(name=name)
    db.session.add(group)
    db.session.commit()
    return group


def rename_group(group: Group, name: str) -> None:
    name = _group_name(name)
    if _name_taken(name, except_id=group.id):
        raise AccountError(_("Un groupe porte déjà ce nom."))
    group.name = name
    db.session.commit()


def set_group_archived(group: Group, archived: bool) -> None:
    group.archived_at = utcnow() if archived else None
    db.session.commit()


def create_facilitator(username: str, first_name: str, role: Role = Role.FACILITATOR) -> tuple[User, str]:
    """A staff account (facilitator, or admin from the command line) with a generated password."""
    username = _clean(username).lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,63}", username):
        raise AccountError(_("L'identifiant : 2 à 64 caractères, lettres sans accents, chiffres, point ou tiret."))
    first_name, _initial = parse_name(first_name)
    if db.session.scalar(select(func.count()).select_from(User).where(func.lower(User.username) == username)):
        raise AccountError(_("Cet identifiant est déjà pris."))
    password = generate_password()
    user = User(username=username, first_name=first_name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.commit()
    return user, password


def assign_facilitators(group: Group, facilitator_ids: Iterable[int]) -> None:
    """The group's facilitators become exactly these (ids of other roles are ignored)."""
    wanted = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(list(facilitator_ids)), User.role == Role.FACILITATOR)
        )
    )
    db.session.execute(delete(group_facilitator).where(group_facilitator.c.group_id == group.id))
    if wanted:
        db.session.execute(insert(group_facilitator), [{"group_id": group.id, "user_id": uid} for uid in sorted(wanted)])
    db.session.commit()

