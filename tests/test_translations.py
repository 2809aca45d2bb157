"""French plurals: the catalog covers every message with a plural, and 0 takes the singular."""

from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import ngettext

from app.translations import catalog_folder, plural_messages

ROOT = Path(__file__).resolve().parent.parent


def test_the_catalog_is_up_to_date_with_the_code_and_templates(app):
    with app.app_context(), open(catalog_folder() / "messages.po", "rb") as po:
        catalog = read_po(po)
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"
    in_catalog = sorted((m.id[0], m.id[1]) for m in catalog if m.id and isinstance(m.id, tuple))
    assert in_catalog == plural_messages(ROOT), "run: flask --app app translations update"


def test_zero_and_one_take_the_singular_in_french(app):
    with app.test_request_context():
        said = [ngettext("%(num)d leçon sur %(total)d terminée", "%(num)d leçons sur %(total)d terminées", n, total=6) for n in (0, 1, 2)]
    assert said == ["0 leçon sur 6 terminée", "1 leçon sur 6 terminée", "2 leçons sur 6 terminées"]
