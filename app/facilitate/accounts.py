"""Accounts, for the facilitator workspace: creation and import, cards, passwords, activation,
sign-out everywhere. One public function per use case, each committing once with its line in
the audit log. Views call these; they never write to the database themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..auth import phones, pictures, throttle
from ..auth import services as auth
from ..extensions import db
from ..hashing import hash_password
from ..models import Group, Role, User
from ..names import NameEntry, RefusedName, clean_name, parse_name, username_base
from ..transactions import commit_retrying
from .passwords import generate_password

STAFF_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class AccountError(ValueError):
    """A use case refused, with a message for the person (already translated)."""


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


@dataclass
class Card:
    """What is printed on one sign-in card. The password is None when it was not changed."""

    user_id: int
    first_name: str
    display_name: str
    username: str
    token: str
    password: str | None = None
    picture_code: list[pictures.Picture] | None = None  # None when it was not changed
    # Filled in by the view: the card's address and its QR code as SVG.
    url: str = ""
    qr: str = ""


def _refuse_anonymised(users: list[User]) -> None:
    if any(user.anonymised_at is not None for user in users):
        raise AccountError(_("Ce compte est anonymisé : il ne peut plus servir."))


def print_cards(users: list[User], new_passwords: bool, actor: User, new_picture_codes: bool = False) -> list[Card]:
    """Fresh QR tokens (and passwords and picture codes if asked) for these people, in one commit:
    their old cards, and every session they had open, stop working."""
    _refuse_anonymised(users)
    tokens = auth.issue_card_tokens(user.id for user in users)
    passwords, codes = {}, {}
    for user in users:
        if new_passwords:
            passwords[user.id] = generate_password()
            user.password_hash = hash_password(passwords[user.id])
        if new_picture_codes:
            codes[user.id] = pictures.random_code()
            phones.replace_picture_code(user, codes[user.id], actor)
        user.end_sessions()
        audit.record(actor, user, audit.CARD_PRINTED, detail="avec un nouveau mot de passe" if new_passwords else "")
    db.session.commit()
    return [
        Card(u.id, u.first_name, u.display_name, u.username, tokens[u.id], passwords.get(u.id),
             pictures.pictures_of(codes[u.id]) if u.id in codes else None)
        for u in users
    ]


def revoke_card(user: User, actor: User) -> None:
    auth.delete_card_tokens([user.id])
    user.end_sessions()
    audit.record(actor, user, audit.CARD_REVOKED)
    db.session.commit()


def create_participants(group: Group, entries: list[NameEntry], actor: User, action: str = audit.IMPORTED) -> list[Card]:
    """New participants in this group, each with a password and a card, all in one commit
    (all or nothing). Hashing the passwords is the slow part (scrypt: names.MAX_IMPORT_LINES)."""
    passwords = [generate_password() for _entry in entries]
    hashes = [hash_password(password) for password in passwords]

    def write() -> list[Card]:
        # A username taken at the same moment by another request: the retry allocates again.
        usernames = allocate_usernames([e.first_name for e in entries])
        users = [
            User(username=username, first_name=entry.first_name, last_initial=entry.last_initial,
                 role=Role.PARTICIPANT, group_id=group.id, password_hash=password_hash)
            for entry, username, password_hash in zip(entries, usernames, hashes, strict=True)
        ]
        db.session.add_all(users)
        db.session.flush()
        tokens = auth.issue_card_tokens(u.id for u in users)
        for user in users:
            audit.record(actor, user, action, detail=f"groupe {group.name}")
        return [
            Card(u.id, u.first_name, u.display_name, u.username, tokens[u.id], password)
            for u, password in zip(users, passwords, strict=True)
        ]

    try:
        return commit_retrying(write, attempts=2)
    except IntegrityError:
        raise AccountError(_("Les comptes n'ont pas pu être créés : aucun n'a été enregistré. Réessayez.")) from None


def create_participant(group: Group, first_name: str, last_initial: str, actor: User) -> Card:
    """One new participant in this group, with a password and a card token."""
    try:
        entry = NameEntry(1, *parse_name(first_name, last_initial))
    except RefusedName as error:
        raise AccountError(str(error)) from error
    return create_participants(group, [entry], actor, action=audit.CREATED)[0]


def reset_password(user: User, actor: User) -> str:
    """A new password; the old one and every open session stop working."""
    _refuse_anonymised([user])
    password = generate_password()
    user.password_hash = hash_password(password)
    user.end_sessions()
    throttle.forget(user.username)
    audit.record(actor, user, audit.PASSWORD_RESET)
    db.session.commit()
    return password


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivating also stops the card and ends every session: a lost phone stays signed out."""
    if active:
        _refuse_anonymised([user])
    user.active = active
    if not active:
        auth.delete_card_tokens([user.id])
        user.end_sessions()
    audit.record(actor, user, audit.REACTIVATED if active else audit.DEACTIVATED)
    db.session.commit()


def sign_out_everywhere(user: User, actor: User) -> None:
    user.end_sessions()
    audit.record(actor, user, audit.SIGNED_OUT)
    db.session.commit()


def set_picture_code(user: User, ids: list[str], actor: User) -> None:
    """The picture code the facilitator chose (or drew); printed on the card from the page shown next."""
    _refuse_anonymised([user])
    phones.replace_picture_code(user, ids, actor)
    db.session.commit()


def lift_wait(user: User, actor: User) -> None:
    """Wrong passwords were given for this account: the next attempt need not wait."""
    throttle.forget(user.username)
    audit.record(actor, user, audit.LOCK_LIFTED)
    db.session.commit()


def create_facilitator(username: str, first_name: str, actor: User | None, role: Role = Role.FACILITATOR) -> tuple[User, str]:
    """A staff account (facilitator, or admin from the command line) with a generated password."""
    try:
        username = clean_name(username).lower()
        first_name, _initial = parse_name(first_name)
    except RefusedName as error:
        raise AccountError(str(error)) from error
    if not STAFF_USERNAME.fullmatch(username):
        raise AccountError(_("L'identifiant : 2 à 64 caractères, lettres sans accents, chiffres, point ou tiret."))
    if db.session.scalar(select(func.count()).select_from(User).where(func.lower(User.username) == username)):
        raise AccountError(_("Cet identifiant est déjà pris."))
    password = generate_password()
    user = User(username=username, first_name=first_name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    try:
        db.session.flush()
        audit.record(actor, user, audit.CREATED, detail="administrateur" if role is Role.ADMIN else "animateur")
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise AccountError(_("Cet identifiant est déjà pris.")) from error
    return user, password
