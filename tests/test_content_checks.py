"""Lessons carry their evidence; the check warns, with file and line, on what weak readers find hard."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from app.content import load_library
from app.content.review import lessons_to_review, review_warnings
from tests.test_content_library import GOOD_QUIZ, MODULE_YML, lesson_text

GLOSSARY = """\
- word: RIB
  forms: [relevé d'identité bancaire]
  definition: "Le relevé d'identité bancaire : les numéros de votre compte."
- word: mot de passe
  forms: [mots de passe]
  definition: Un secret connu de vous seulement.
"""
DOMAINS = "# official\ngouv.fr\ncaf.fr   # Caisse d'allocations familiales\n"
PICTURE = "![Un écran de connexion](images/ecran.svg)\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "glossaire.yml").write_text(GLOSSARY)
    (tmp_path / "domaines-officiels.txt").write_text(DOMAINS)
    module = tmp_path / "01-essai"
    (module / "images").mkdir(parents=True)
    (module / "module.yml").write_text(MODULE_YML)
    (module / "images" / "ecran.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return module


def load(folder, content):
    (folder / "01-essai.md").write_text(content)
    library = load_library(folder.parent)
    return library, [(p.path.name, p.line, p.message) for p in library.problems]


def warnings_of(library):
    return [(w.path.name, w.line, w.message) for w in library.warnings]


@pytest.mark.parametrize(
    ("evidence", "line", "message"),
    [
        ("verified: 2026-11-20\n", 1, "la leçon n'a pas de sources"),
        ("verified: 2026-11-20\nsources: []\n", 8, "la leçon n'a pas de sources"),
        ("verified: 2026-11-20\nsources:\n  - url: https://www.caf.fr\n", 8, "source n° 1 : « supports » manque"),
        ("verified: 2026-11-20\nsources:\n  - url: http://www.caf.fr\n    supports: x.\n", 8, "source n° 1 : « url » doit être une adresse qui commence par https://"),
        ("verified: 2026-11-20\nsources:\n  - https://www.caf.fr\n", 8, "source n° 1 : écrivez seulement « url: » et « supports: »"),
        ("sources:\n  - url: https://www.caf.fr\n    supports: x.\n", 1, "la date de vérification « verified » manque"),
        ("verified: décembre 2026\nsources:\n  - url: https://www.caf.fr\n    supports: x.\n", 7, "par exemple « verified: 2026-12-01 »"),
    ],
)
def test_a_lesson_without_its_sources_or_its_date_is_an_error_and_left_out(folder, evidence, line, message):
    library, problems = load(folder, lesson_text(evidence=evidence, body=PICTURE))
    assert any((name, found_line) == ("01-essai.md", line) and message in text for name, found_line, text in problems), problems
    assert library.lessons == {}


def test_sources_and_date_are_kept_with_the_lesson(folder):
    library, problems = load(folder, lesson_text(body=PICTURE))
    assert problems == []
    lesson = library.lesson("essai-une")
    assert lesson.verified == date(2026, 11, 20) and lesson.verified_line == 7
    assert [(s.url, s.supports) for s in lesson.sources] == [("https://www.service-public.gouv.fr/", "Une phrase de la leçon.")]


def test_a_clear_lesson_has_no_warning(folder):
    body = PICTURE + "Envoyez votre [[RIB]].\nVotre RIB est dans l'appli de la banque.\nGardez votre [[mot de passe]].\n"
    body += "La complémentaire santé solidaire (CSS) aide.\nLa CSS est gratuite.\nTouchez « OK ».\n"
    body += "Voir [la Caf](https://www.caf.fr) et <https://www.service-public.gouv.fr>.\n"
    library, problems = load(folder, lesson_text(body=body, quiz=GOOD_QUIZ))
    assert problems == []
    assert warnings_of(library) == []


@pytest.mark.parametrize(
    ("body", "quiz", "line", "message"),
    [
        ("Une phrase courte.", None, 13, "la leçon n'a pas d'image : montrez l'écran que la personne va voir"),
        (PICTURE, "### Vous ne payez pas.\n\nRéponse : vrai\n\nExplication : x.\n", 18, "phrase vrai ou faux à la forme négative"),
        (PICTURE, "### La Caf n'appelle jamais.\n\nRéponse : vrai\n\nExplication : x.\n", 18, "phrase vrai ou faux à la forme négative"),
        (PICTURE, "### Aucun site ne demande ce code.\n\nRéponse : vrai\n\nExplication : x.\n", 18, "phrase vrai ou faux à la forme négative"),
        (PICTURE, "### Q ?\nType : choix multiple\n\n- [x] A\n- [ ] B\n\nExplication : x.\n", 18,
         "« Plusieurs réponses possibles » mais une seule bonne réponse"),
        (PICTURE + "Voir [le site](https://www.exemple.com/page).", None, 14,
         "lien vers « www.exemple.com » : ce site n'est pas dans domaines-officiels.txt"),
        (PICTURE + "Pas <https://fauxcaf.fr/aide>.", None, 14, "lien vers « fauxcaf.fr »"),
        (PICTURE + "Une phrase.\nEnvoyez votre RIB.\nUn autre RIB.", None, 15,
         "« RIB » est dans le glossaire : écrivez [[RIB]] la première fois"),
        (PICTURE, "### Où est votre relevé d'identité bancaire ?\n\n- [x] A\n- [ ] B\n\nExplication : x.\n", 18,
         "« RIB » est dans le glossaire"),
        (PICTURE + "Le CSS aide.", None, 14,
         "sigle « CSS » sans explication : écrivez « mots en entier (CSS) » ou ajoutez-le au glossaire"),
    ],
)
def test_each_warning_names_file_and_line_and_the_lesson_is_still_shown(folder, body, quiz, line, message):
    library, problems = load(folder, lesson_text(body=body, quiz=quiz))
    assert problems == []
    assert library.lesson("essai-une") is not None
    assert any((name, found_line) == ("01-essai.md", line) and message in text for name, found_line, text in warnings_of(library)), warnings_of(library)


def test_a_positive_true_or_false_statement_and_a_real_multiple_choice_are_not_warned(folder):
    quiz = "### Un site officiel finit par .gouv.fr.\n\nRéponse : vrai\n\nExplication : x.\n\n"
    quiz += "### Quels signes ?\n\n- [x] A\n- [x] B\n- [ ] C\n\nExplication : x.\n"
    library, _ = load(folder, lesson_text(body=PICTURE, quiz=quiz))
    assert warnings_of(library) == []


def test_an_unknown_glossary_word_is_an_error_with_its_line(folder):
    library, problems = load(folder, lesson_text(body=PICTURE + "Une phrase.\nVotre [[identifiant secret|idantifiant]]."))
    assert problems == [(
        "01-essai.md", 15,
        "« [[idantifiant]] » : ce mot n'est pas dans le glossaire (glossaire.yml). Ajoutez-le ou corrigez le lien",
    )]
    assert library.lessons == {}


def test_a_glossary_link_in_the_title_is_an_error_with_its_line(folder):
    library, problems = load(folder, lesson_text(body=PICTURE).replace("title: Une leçon", "title: Mon [[RIB]]"))
    assert problems == [("01-essai.md", 3, "un lien du glossaire « [[…]] » va dans le texte de la leçon ou le quiz, pas dans « title »")]


def test_glossary_words_are_found_whatever_their_capitals_or_their_form(folder):
    library, problems = load(folder, lesson_text(body=PICTURE + "Vos [[Mots de passe]] et [[votre relevé|relevé d'identité bancaire]]."))
    assert problems == []
    html = library.lesson("essai-une").body_html
    assert '<a class="glossary-link" href="/glossaire#mot-de-passe">Mots de passe</a>' in html
    assert '<a class="glossary-link" href="/glossaire#rib">votre relevé</a>' in html


def test_a_broken_glossary_entry_is_reported_with_its_line(folder):
    (folder.parent / "glossaire.yml").write_text(GLOSSARY + "- word: RIB\n  definition: Encore.\n- word: lien\n- mot\n")
    library, problems = load(folder, lesson_text(body=PICTURE))
    assert problems == [
        ("glossaire.yml", 7, "« RIB » est déjà dans le glossaire (« RIB », ligne 1)"),
        ("glossaire.yml", 9, "« definition » manque pour « lien » : une phrase simple"),
        ("glossaire.yml", 10, "chaque mot s'écrit « - word: … » puis « definition: … »"),
    ]
    assert [e.word for e in library.glossary.entries] == ["RIB", "mot de passe"]


def test_a_lesson_verified_more_than_the_review_period_ago_is_to_review(folder):
    (folder / "02-vieille.md").write_text(lesson_text(lesson_id="essai-vieille", body=PICTURE, evidence=(
        "verified: 2025-11-30\nsources:\n  - url: https://www.caf.fr\n    supports: Une phrase.\n"
    )))
    library, problems = load(folder, lesson_text(body=PICTURE, evidence=(
        "verified: 2025-12-01\nsources:\n  - url: https://www.caf.fr\n    supports: Une phrase.\n"
    )))
    assert problems == []
    today = date(2026, 12, 1)
    assert [(item.lesson.id, item.overdue) for item in lessons_to_review(library, today, 12)] == [("essai-vieille", True)]
    assert [(w.path.name, w.line, w.message) for w in review_warnings(library, today, 12)] == [(
        "02-vieille.md", 7,
        "vérifiée le 2025-11-30, il y a plus de 12 mois : relisez la leçon et ses sources, puis changez la date",
    )]
    assert lessons_to_review(library, today, 13) == []


def test_lessons_with_warnings_follow_the_overdue_ones_in_the_review_list(folder):
    (folder / "02-sans-image.md").write_text(lesson_text(lesson_id="essai-sans-image"))
    library, _ = load(folder, lesson_text(body=PICTURE, evidence=(
        "verified: 2020-01-31\nsources:\n  - url: https://www.caf.fr\n    supports: Une phrase.\n"
    )))
    items = lessons_to_review(library, date(2026, 3, 31), 12)
    assert [(item.lesson.id, item.overdue, len(item.lesson.warnings)) for item in items] == [
        ("essai-une", True, 0), ("essai-sans-image", False, 1),
    ]


def test_the_complete_example_of_the_authors_guide_passes_the_check_without_warning(tmp_path):
    lessons = Path(__file__).resolve().parent.parent / "lessons"
    guide = (lessons / "README.md").read_text(encoding="utf-8")
    example = guide[guide.index("## A complete example"):].split("```markdown\n", 1)[1].split("\n```", 1)[0]
    for name in ("glossaire.yml", "domaines-officiels.txt"):
        shutil.copy(lessons / name, tmp_path / name)
    module = tmp_path / "01-exemple"
    (module / "images").mkdir(parents=True)
    (module / "module.yml").write_text(MODULE_YML)
    (module / "images" / "sms-vitale.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (module / "01-exemple.md").write_text(example + "\n", encoding="utf-8")
    library = load_library(tmp_path)
    assert library.problems == []
    assert library.warnings == []
    assert library.lesson("exemple-sms-arnaque").quiz is not None


def test_a_linked_form_counts_for_its_word_and_an_acronym_counts_in_capitals_only(folder):
    body = PICTURE + "Vos [[mots de passe]] sont secrets.\nChangez votre mot de passe.\nUn ribambelle de rib.\n"
    library, problems = load(folder, lesson_text(body=body))
    assert problems == [] and warnings_of(library) == []
