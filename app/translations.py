"""The French catalog: French is the source language, but its plural rule is not English's.

gettext without a catalog writes "0 leçons"; French says "0 leçon". The catalog holds every
message with a plural, translated to itself under the rule "plural when n > 1".
`flask translations update` rebuilds it from the code and templates.
"""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from flask import current_app
from flask.cli import AppGroup

FRENCH_PLURAL_FORMS = "nplurals=2; plural=(n > 1);"
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
SOURCES = (("app", [("**.py", "python")]), ("templates", [("**.html", "jinja2")]))

translations_cli = AppGroup("translations", help="Catalogue des messages en français.")


def plural_messages(base: Path) -> list[tuple[str, str]]:
    """Every (singular, plural) pair written in the code and the templates, in a stable order."""
    found = set()
    for folder, method_map in SOURCES:
        # Babel skips folders starting with "_" by default; ours hold macros and partials.
        for _file, _line, message, _comments, _context in extract_from_dir(
            base / folder, method_map=method_map, keywords=KEYWORDS, directory_filter=lambda path: True
        ):
            if isinstance(message, tuple):
                found.add(message[:2])
    return sorted(found)


def catalog_folder() -> Path:
    return Path(current_app.root_path) / "translations" / "fr" / "LC_MESSAGES"


def build_catalog(messages: list[tuple[str, str]]) -> Catalog:
    catalog = Catalog(locale="fr", domain="messages", project="Pas à pas", fuzzy=False)
    # CLDR gives French a third form for millions; gettext users write two.
    catalog.mime_headers = [*catalog.mime_headers, ("Plural-Forms", FRENCH_PLURAL_FORMS)]
    for singular, plural in messages:
        catalog.add((singular, plural), string=(singular, plural))
    return catalog


@translations_cli.command("update")
def update() -> None:
    """Rebuild the French catalog (messages.po and messages.mo) from the code and templates."""
    messages = plural_messages(Path(current_app.root_path).parent)
    catalog = build_catalog(messages)
    folder = catalog_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "messages.po", "wb") as po:
        write_po(po, catalog, omit_header=False, sort_output=True, no_location=True)
    with open(folder / "messages.mo", "wb") as mo:
        write_mo(mo, catalog)
    click.echo(f"{len(messages)} messages au pluriel dans {folder}")
