"""The lesson loader: valid folders load; every broken file is reported with file and line."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from app import lesson_library
from app.content import QuestionType, load_library, rendering
from tests.test_content_rendering import parsed_elements

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"

MODULE_YML = "id: essai\ntitle: Essai\ndescription: Un module d'essai.\nicon: livre\norder: 1\n"


EVIDENCE = "verified: 2026-11-20\nsources:\n  - url: https://www.service-public.gouv.fr/\n    supports: Une phrase de la leçon.\n"


def lesson_text(lesson_id="essai-une", body="Une phrase courte.", quiz=None, extra_meta="", evidence=EVIDENCE):
    text = f"---\nid: {lesson_id}\ntitle: Une leçon\nduration: 5\nobjectives:\n  - Apprendre.\n{extra_meta}{evidence}---\n\n{body}\n"
    if quiz is not None:
        text += "\n## Quiz\n\n" + textwrap.dedent(quiz)
    return text


GOOD_QUIZ = """\
### Une question ?

- [x] Oui.
- [ ] Non.

Explication : parce que.
"""


@pytest.fixture
def folder(tmp_path):
    module = tmp_path / "01-essai"
    module.mkdir()
    (module / "module.yml").write_text(MODULE_YML)
    return module


def problems_of(folder: Path):
    library = load_library(folder.parent)
    return library, [(p.path.name, p.line, p.message) for p in library.problems]


def test_fixture_library_loads_modules_lessons_and_questions_in_order():
    library = load_library(FIXTURES)
    assert library.problems == []
    assert library.summary() == "3 modules, 5 lessons, 9 questions"
    assert [m.id for m in library.modules] == ["demo", "demo-suite", "demo-pratique"]
    assert [lesson.id for lesson in library.ordered_lessons] == [
        "demo-premiers-pas", "demo-sans-quiz", "demo-bonus", "demo-suite-lecture", "demo-pratique",
    ]
    first = library.lesson("demo-premiers-pas")
    assert first.pass_mark == 70 and first.duration == 5
    assert [q.type for q in first.quiz.questions] == [
        QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE,
    ]
    assert library.lesson("demo-bonus").pass_mark == 100
    assert library.lesson("demo-sans-quiz").quiz is None
    assert library.next_lesson(first).id == "demo-sans-quiz"


def test_per_choice_explanations_are_kept(folder):
    (folder / "01.md").write_text(lesson_text(quiz="""\
        ### Question ?

        - [ ] Mauvais.
          > Parce que c'est faux.
        - [x] Bon.

        Explication : générale.
        """))
    library, problems = problems_of(folder)
    assert problems == []
    wrong, right = library.lesson("essai-une").quiz.questions[0].choices
    assert "Parce que c&#39;est faux." in wrong.explanation_html or "Parce que c'est faux." in wrong.explanation_html
    assert right.correct and right.explanation_html == ""


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (lesson_text(lesson_id=""), 1, "« id » manque"),
        (lesson_text(lesson_id="Avec Espace"), 2, "identifiant « Avec Espace » invalide"),
        ("pas d'en-tête\n", 1, "doit commencer par une ligne « --- »"),
        ("---\nid: [ouvert\n---\n", 2, "en-tête illisible"),
        (lesson_text(extra_meta="durée: 4\n"), 1, "clé inconnue dans l'en-tête : « durée »"),
        (lesson_text(extra_meta="pass_mark: 150\n"), 7, "pass_mark"),
        (lesson_text(quiz="### Q ?\n\n- [ ] A\n- [ ] B\n\nExplication : x.\n"), 17, "n'a pas de bonne réponse"),
        (lesson_text(quiz="### Q ?\n\n- [x] A\n- [x] B\nType : choix unique\n\nExplication : x.\n"), 21, "plusieurs réponses sont marquées"),
        (lesson_text(quiz="### Q ?\nType : au hasard\n- [x] A\n- [ ] B\n\nExplication : x.\n"), 18, "type de question inconnu « au hasard »"),
        (lesson_text(quiz="### Q ?\n\n- [x] A\n- [ ] B\n"), 17, "n'a pas d'« Explication : »"),
        (lesson_text(quiz="### Q ?\n\nRéponse : peut-être\n\nExplication : x.\n"), 19, "« Réponse : vrai » ou « Réponse : faux »"),
        (lesson_text(quiz="### Q ?\n\n- [x] A\n\nExplication : x.\n"), 17, "au moins deux choix"),
        (lesson_text(quiz="Du texte perdu.\n"), 17, "texte avant la première question"),
        (lesson_text(body="Voir [la suite](lecon:n-existe-pas)."), 13, "lien vers une leçon inconnue : « lecon:n-existe-pas »"),
        (lesson_text(body="![Une image](images/absente.svg)"), 13, "image introuvable : « images/absente.svg »"),
        (lesson_text(body="![](images/a.svg)"), 13, "image sans texte de remplacement"),
        (lesson_text(body="[clic](javascript:alert(1))"), 13, "lien « javascript:alert(1 » refusé"),
        (lesson_text(body="![x](https://exemple.fr/a.png)"), 13, "seules les images du dossier du module"),
    ],
)
def test_each_broken_lesson_is_reported_with_file_and_line_and_left_out(folder, content, line, message):
    (folder / "01-casse.md").write_text(content)
    (folder / "02-bonne.md").write_text(lesson_text(lesson_id="essai-bonne"))
    library, problems = problems_of(folder)
    assert any(
        name == "01-casse.md" and found_line == line and message in text for name, found_line, text in problems
    ), problems
    # The broken lesson is left out; the other lesson still loads.
    assert list(library.lessons) == ["essai-bonne"]


def test_duplicate_lesson_ids_are_reported_and_the_second_left_out(folder):
    (folder / "01-a.md").write_text(lesson_text(lesson_id="meme-id"))
    (folder / "02-b.md").write_text(lesson_text(lesson_id="meme-id"))
    library, problems = problems_of(folder)
    assert problems == [("02-b.md", 2, f"identifiant « meme-id » déjà utilisé par {folder / '01-a.md'}")]
    assert library.lesson("meme-id").path.name == "01-a.md"


def test_module_without_metadata_or_with_bad_metadata_is_reported(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "lessons")
    (tmp_path / "lessons" / "02-demo-suite" / "module.yml").write_text("id: demo-suite\ntitle: x\n")
    loose = tmp_path / "lessons" / "03-sans-meta"
    loose.mkdir()
    (loose / "01.md").write_text(lesson_text())
    library = load_library(tmp_path / "lessons")
    messages = [(p.path.parent.name, p.message) for p in library.problems]
    assert ("02-demo-suite", "« description » manque") in messages
    assert ("03-sans-meta", "fichier module.yml manquant : le module est ignoré") in messages
    assert [m.id for m in library.modules] == ["demo", "demo-pratique"]


def test_a_valid_lesson_link_and_image_are_rewritten_to_app_urls(folder):
    (folder / "images").mkdir()
    (folder / "images" / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / "01.md").write_text(lesson_text(body="![Un dessin](images/a.svg) [Suite](lecon:essai-deux)"))
    (folder / "02.md").write_text(lesson_text(lesson_id="essai-deux"))
    library = load_library(
        folder.parent,
        lesson_url=lambda lesson_id: f"/L/{lesson_id}",
        image_url_for_module=lambda module_id: lambda src: f"/M/{module_id}/{src}",
    )
    assert library.problems == []
    html = library.lesson("essai-une").body_html
    elements = parsed_elements(html)
    assert [dict(attrs)["src"] for tag, attrs in elements if tag == "img"] == ["/M/essai/images/a.svg"]
    assert [dict(attrs)["href"] for tag, attrs in elements if tag == "a"] == ["/L/essai-deux"]


def test_a_lesson_is_rendered_the_first_time_it_is_shown_not_when_the_library_is_read(folder, monkeypatch):
    rendered = []
    sanitize = rendering.sanitize
    monkeypatch.setattr(rendering, "sanitize", lambda html: rendered.append(html) or sanitize(html))
    (folder / "01.md").write_text(lesson_text(body="Un **mot**.", quiz=GOOD_QUIZ + "Indice : regardez bien.\n"))
    library = load_library(folder.parent)
    assert library.problems == [] and rendered == []  # read and checked, nothing rendered yet

    lesson = library.lesson("essai-une")
    assert lesson.body_html == "<p>Un <strong>mot</strong>.</p>"
    assert lesson.body_html == "<p>Un <strong>mot</strong>.</p>"
    assert len(rendered) == 1  # once, then kept
    (question,) = lesson.quiz.questions
    assert [c.text_html for c in question.choices] == ["Oui.", "Non."]
    assert question.explanation_html == "<p>parce que.</p>"
    assert question.hints_html == ("regardez bien.",)


def test_reading_the_real_course_renders_none_of_its_texts(monkeypatch):
    rendered = []
    sanitize = rendering.sanitize
    monkeypatch.setattr(rendering, "sanitize", lambda html: rendered.append(html) or sanitize(html))
    library = load_library(Path(__file__).parent.parent / "lessons")
    assert library.lessons and library.scenarios and library.problems == []
    assert rendered == []  # what a start pays: reading and checking (docs/benchmarks.md)


def test_the_apps_lessons_render_their_links_outside_any_request(app):
    lesson = app.extensions[lesson_library.EXTENSION_KEY].lesson("demo-premiers-pas")
    # A command or a report renders a lesson no page has shown yet: its addresses are the app's own.
    elements = parsed_elements(lesson.body_html)
    assert [dict(attrs)["href"] for tag, attrs in elements if tag == "a"] == ["/lecons/demo-sans-quiz"]
    assert [dict(attrs)["src"] for tag, attrs in elements if tag == "img"] == ["/lecons/media/demo/images/telephone.svg"]


def test_choice_keys_reveal_nothing_and_survive_reordering(folder):
    (folder / "01.md").write_text(lesson_text(quiz=GOOD_QUIZ))
    (folder / "02.md").write_text(lesson_text(lesson_id="essai-deux", quiz=GOOD_QUIZ.replace("- [x] Oui.\n- [ ] Non.", "- [ ] Non.\n- [x] Oui.")))
    library, _ = problems_of(folder)
    first = {c.key for c in library.lesson("essai-une").quiz.questions[0].choices}
    second = {c.key for c in library.lesson("essai-deux").quiz.questions[0].choices}
    assert first == second
    assert all(len(key) == 8 and key not in ("oui", "non") for key in first)
