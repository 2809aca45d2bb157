"""The six real modules in lessons/: counts, explanations, alt texts, plain French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.content import QuestionType, load_library
from app.content.glossary import GLOSSARY_FILE, load_glossary
from app.content.readability import MAX_AVERAGE_WORDS

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
LIBRARY = load_library(LESSONS)
MODULE_IDS = [
    "parentalite-et-foyer", "information-et-reseau", "acheter-en-ligne",
    "se-deplacer", "apprendre-par-soi-meme", "proteger-ses-donnees",
]


def test_lessons_load_without_problem_with_the_counts_the_curriculum_asks_for():
    assert LIBRARY.problems == []
    assert [m.id for m in LIBRARY.modules] == MODULE_IDS
    assert len(LIBRARY.lessons) >= 30
    assert LIBRARY.question_count >= 150


def test_the_real_lessons_have_no_warning_for_their_authors():
    # The yearly review warnings depend on today's date and are not lesson warnings.
    assert [f"{w.path.name}:{w.line}: {w.message}" for w in LIBRARY.warnings] == []


def test_the_demo_module_is_only_a_test_fixture():
    assert all(not lesson_id.startswith("demo") for lesson_id in LIBRARY.lessons)


@pytest.mark.parametrize("module", LIBRARY.modules, ids=lambda m: m.id)
def test_each_module_has_5_to_7_lessons_the_three_choice_kinds_and_two_practising_lessons(module):
    assert 5 <= len(module.lessons) <= 7
    types = {q.type for lesson in module.lessons for q in lesson.quiz.questions}
    assert types >= {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE}
    # Practice by doing: at least two lessons of each module make the learner do a gesture.
    practising = [
        lesson.id for lesson in module.lessons
        if any(q.type in (QuestionType.TAP, QuestionType.ORDER, QuestionType.TYPED) for q in lesson.quiz.questions)
    ]
    assert len(practising) >= 2, practising


@pytest.mark.parametrize("lesson", LIBRARY.ordered_lessons, ids=lambda lesson: lesson.id)
def test_each_lesson_follows_the_plan(lesson):
    assert 5 <= lesson.duration <= 10
    assert 4 <= len(lesson.quiz.questions) <= 6
    assert all(q.explanation_html.strip() for q in lesson.quiz.questions)
    assert '<section class="box box-activity"><h2>À vous de jouer</h2>' in lesson.body_html
    assert '<section class="box box-remember"><h2>À retenir</h2>' in lesson.body_html
    assert lesson.readability.average <= MAX_AVERAGE_WORDS


@pytest.mark.parametrize("lesson", LIBRARY.ordered_lessons, ids=lambda lesson: lesson.id)
def test_every_image_has_alt_text(lesson):
    for image in re.findall(r"<img [^>]*>", lesson.body_html):
        alt = re.search(r'alt="([^"]*)"', image)
        assert alt and len(alt.group(1).strip()) >= 10, image


@pytest.mark.parametrize("svg", sorted(LESSONS.glob("*/images/*.svg")), ids=lambda p: p.name)
def test_illustrations_are_small_self_contained_svg(svg):
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "viewBox" in text
    assert len(text.encode()) < 4096
    lowered = text.lower()
    assert "<script" not in lowered and "href=\"http" not in lowered and "@import" not in lowered
    assert not re.search(r"\son\w+=", lowered)


def test_the_glossary_loads_whole_and_defines_the_words_issue_13_names():
    glossary, problems = load_glossary(LESSONS / GLOSSARY_FILE)
    assert problems == []
    for word in ("allocataire", "justificatif", "identifiant", "valideur", "RIB", "ENT", "MOOC", "prime d'activité",
                 "numéro allocataire", "FranceConnect", "hameçonnage", "double authentification", "RGPD", "CPF", "Pix",
                 "QR code", "passe Navigo", "rétractation", "garantie légale", "capture d'écran", "cookie", "Wi-Fi"):
        assert glossary.find(word) is not None, word
    # One short sentence each.
    assert all(len(entry.definition.split()) <= 20 and entry.definition.endswith(".") for entry in glossary.entries)


@pytest.mark.parametrize("lesson", LIBRARY.ordered_lessons, ids=lambda lesson: lesson.id)
def test_each_lesson_shows_the_screen_the_learner_will_see(lesson):
    assert "<img " in lesson.body_html
