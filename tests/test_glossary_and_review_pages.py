"""The glossary page and its links in lessons; the facilitators' « Leçons à revoir »."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.cli import create_demo_accounts
from tests.facilitate_helpers import login

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
NBSP = "\u00a0"


def test_the_glossary_page_lists_every_word_at_its_anchor_without_javascript(client):
    login(client, "amina", "amina-demo")
    html = client.get("/glossaire").get_data(as_text=True)
    cadenas = '<li class="glossary-entry" id="cadenas">\n      <p><dfn>cadenas</dfn></p>\n      <p>Le petit dessin de serrure'
    password = f'<li class="glossary-entry" id="mot-de-passe">\n      <p><dfn>mot de passe</dfn></p>\n      <p>Un secret que vous seul connaissez{NBSP}: il ouvre votre compte.</p>'
    assert cadenas in html and password in html
    assert html.index(cadenas) < html.index(password)  # in alphabetical order
    assert "<script>" not in html and " style=" not in html  # strict CSP: nothing inline
    # Every page leads to it.
    assert '<a href="/glossaire">Les mots à connaître</a>' in client.get("/").get_data(as_text=True)


def test_a_glossary_word_in_a_lesson_links_to_its_anchor_and_holds_its_definition(client):
    login(client, "amina", "amina-demo")
    html = client.get("/lecons/demo-bonus").get_data(as_text=True)
    assert (
        'Le <span class="glossary-term"><a class="glossary-link" href="/glossaire#cadenas">cadenas</a>'
        '<span class="glossary-definition" hidden="">Le petit dessin de serrure à côté de l\'adresse d\'un site.</span></span>'
        " dans la barre d'adresse"
    ) in html
    assert 'id="cadenas"' in client.get("/glossaire").get_data(as_text=True)


def _staff_home(make_app, lessons_dir, **settings) -> str:
    app = make_app(LESSONS_DIR=lessons_dir, **settings)
    with app.app_context():
        create_demo_accounts()
    client = app.test_client()
    login(client, "animatrice", "animatrice-demo")
    return client.get("/animation/").get_data(as_text=True)


def test_facilitators_see_the_lessons_verified_too_long_ago_and_the_remarks_of_the_check(make_app, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURES, lessons)
    old = lessons / "02-demo-suite" / "01-suite.md"
    old.write_text(old.read_text().replace("verified: 2026-11-20", "verified: 2000-01-31"))
    html = _staff_home(make_app, lessons)
    section = html[html.index('<h2 id="a-revoir">'):]
    assert "1 leçon a été vérifiée il y a plus de 12 mois. Ses informations ont peut-être changé." in section
    assert '<a href="/lecons/demo-suite-lecture"><strong>Lire à son rythme</strong></a>' in section
    assert "vérifiée le 31 janvier 2000" in section
    assert '<a href="https://www.service-public.gouv.fr/">On peut reprendre une leçon plus tard.</a>' in section
    assert "Remarques de la vérification sur 3 leçons" in section
    assert "Ligne 13 : la leçon n&#39;a pas d&#39;image : montrez l&#39;écran que la personne va voir" in section
    assert "Premiers pas" not in section  # verified lately, no remark


def test_facilitators_are_told_when_no_lesson_is_overdue(make_app):
    html = _staff_home(make_app, FIXTURES, LESSON_REVIEW_MONTHS=12 * 100)
    assert "Toutes les leçons ont été vérifiées il y a moins de 1200 mois." in html
    assert "vérifiée le" not in html


def test_participants_never_see_the_review_list(client):
    login(client, "amina", "amina-demo")
    assert client.get("/animation/").status_code == 403
