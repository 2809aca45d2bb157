"""Practice questions in a lesson file: tap the right place, put steps in order, type the answer,
« Je ne sais pas » and hints. Each mistake of an author is reported with its line."""

from __future__ import annotations

import struct
import zlib

import pytest

from app.content import QuestionType, load_library
from app.content.model import Tolerance, Zone
from tests.test_content_library import folder, lesson_text, problems_of  # noqa: F401 (the fixture)

SCREEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 300"><rect width="240" height="300"/></svg>'

TAP = """\
### Touchez le bouton « Envoyer ».

Image : ![Un écran avec 2 boutons](images/ecran.svg)
- [x] Le bouton « Envoyer »
  Zone : 20 140 200 48
- [ ] Le bouton « Annuler »
  Zone : 20 200 200 48
Indice : il est en couleur.
Indice : il est au-dessus.

Explication : le bouton « Envoyer » est en couleur.
"""

ORDER = """\
### Remettez les étapes dans l'ordre.

1. J'ouvre.
2. Je choisis.
3. J'envoie.

Explication : on ouvre d'abord.
"""

TYPED = """\
### Quelle adresse écrivez-vous ?

Réponse acceptée : www.caf.fr
Réponse acceptée : caf.fr
Tolérances : majuscules, espaces, www

Explication : l'adresse est www.caf.fr.
"""


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\0\0\0" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def images(folder):  # noqa: F811 (the fixture imported above)
    (folder / "images").mkdir()
    (folder / "images" / "ecran.svg").write_text(SCREEN)
    return folder


def only_question(module, quiz, extra_meta=""):
    (module / "01.md").write_text(lesson_text(quiz=quiz, extra_meta=extra_meta))
    library, problems = problems_of(module)
    assert problems == []
    return library.lesson("essai-une").quiz.questions[0]


def test_a_tap_question_has_its_picture_size_zones_and_hints(images):
    question = only_question(images, TAP)
    assert question.type is QuestionType.TAP
    assert (question.picture.width, question.picture.height, question.picture.alt) == (240, 300, "Un écran avec 2 boutons")
    assert question.picture.url.endswith("images/ecran.svg")
    assert [(c.correct, c.zone) for c in question.choices] == [
        (True, Zone(20, 140, 200, 48)), (False, Zone(20, 200, 200, 48)),
    ]
    assert question.hints_html == ("il est en couleur.", "il est au-dessus.")


def test_a_png_picture_size_is_read_from_its_header(images):
    (images / "images" / "ecran.png").write_bytes(png(250, 260))
    question = only_question(images, TAP.replace("ecran.svg", "ecran.png"))
    assert (question.picture.width, question.picture.height) == (250, 260)


def test_an_svg_width_and_height_win_over_its_view_box(images):
    (images / "images" / "ecran.svg").write_text(SCREEN.replace("<svg ", '<svg width="260px" height="320" '))
    question = only_question(images, TAP)
    assert (question.picture.width, question.picture.height) == (260, 320)


def test_an_ordering_question_keeps_its_steps_in_the_right_order(folder):  # noqa: F811
    question = only_question(folder, ORDER)
    assert question.type is QuestionType.ORDER
    assert [c.text_html.replace("&#x27;", "'") for c in question.choices] == ["J'ouvre.", "Je choisis.", "J'envoie."]
    assert all(c.correct for c in question.choices)


def test_a_typed_question_keeps_its_accepted_answers_and_tolerances(folder):  # noqa: F811
    question = only_question(folder, TYPED)
    assert question.type is QuestionType.TYPED
    assert question.accepted == ("www.caf.fr", "caf.fr")
    assert question.tolerances == {Tolerance.CASE, Tolerance.SPACES, Tolerance.WWW}


def test_dont_know_is_offered_unless_the_lesson_turns_it_off(folder):  # noqa: F811
    only_question(folder, ORDER)
    assert load_library(folder.parent).lesson("essai-une").quiz.dont_know is True
    only_question(folder, ORDER, extra_meta="dont_know: false\n")
    assert load_library(folder.parent).lesson("essai-une").quiz.dont_know is False


# The quiz's first line is line 17 of lesson_text().
@pytest.mark.parametrize(
    ("quiz", "line", "message"),
    [
        (TAP.replace("Zone : 20 200 200 48", "Zone : 20 260 200 48"), 23, "la zone « 20 260 200 48 » sort de l'image, qui mesure 240 × 300 pixels"),
        (TAP.replace("Zone : 20 140 200 48", "Zone : 230 10 20 20"), 21, "sort de l'image"),
        (TAP.replace("Zone : 20 140 200 48", "Zone : 20 140 deux"), 21, "écrivez 4 nombres entiers"),
        (TAP.replace("  Zone : 20 200 200 48\n", ""), 22, "le choix « Le bouton « Annuler » » n'a pas de ligne « Zone :"),
        (TAP.replace("ecran.svg", "absente.svg"), 19, "image introuvable : « images/absente.svg »"),
        (TAP.replace("Image : ![Un écran avec 2 boutons](images/ecran.svg)\n", "Type : touchez le bon endroit\n"), 17, "a besoin d'une ligne « Image :"),
        (TAP.replace("- [x]", "- [ ]"), 17, "n'a pas de bonne réponse"),
        (ORDER.replace("3. J'envoie.\n", ""), 17, "de 3 à 6 étapes « 1. … » : celle-ci en a 2"),
        (ORDER.replace("3. J'envoie.\n", "3. J'envoie.\n4. A.\n5. B.\n6. C.\n7. D.\n"), 17, "celle-ci en a 7"),
        (ORDER.replace("3. J'envoie.", "3. J'ouvre."), 21, "l'étape « J'ouvre. » est écrite deux fois"),
        (TYPED.replace("Réponse acceptée : www.caf.fr\nRéponse acceptée : caf.fr\n", "Type : écrivez la réponse\n"), 17, "au moins une ligne « Réponse acceptée : … »"),
        (TYPED.replace("majuscules,", "minuscules,"), 21, "tolérance inconnue « minuscules » : utilisez « majuscules », « accents », « espaces », « www »"),
        (ORDER + "\n" + TAP.replace("Image", "Tolérances : www\nImage"), 27, "« Tolérances : » ne va pas dans une question « touchez le bon endroit »"),
        (ORDER.replace("1. J'ouvre.", "- [x] J'ouvre.\n1. J'ouvre."), 19, "un choix « - [ ] » ne va pas dans une question « remettez dans l'ordre »"),
    ],
)
def test_each_mistake_in_a_practice_question_is_reported_with_its_line(images, quiz, line, message):
    (images / "01-casse.md").write_text(lesson_text(quiz=quiz))
    library, problems = problems_of(images)
    assert any(
        name == "01-casse.md" and found_line == line and message in text for name, found_line, text in problems
    ), problems
    assert list(library.lessons) == []


def test_a_tap_picture_wider_than_a_phone_is_refused(images):
    (images / "images" / "ecran.svg").write_text(SCREEN.replace("0 0 240 300", "0 0 320 300"))
    (images / "01-casse.md").write_text(lesson_text(quiz=TAP))
    _, problems = problems_of(images)
    assert [(line, message) for _, line, message in problems] == [
        (19, "image « images/ecran.svg » : 320 pixels de large. Une image à toucher en fait 288 au plus, pour tenir sur un téléphone sans être réduite"),
    ]


def test_an_unreadable_picture_is_reported(images):
    (images / "images" / "ecran.svg").write_text("<svg")
    (images / "01-casse.md").write_text(lesson_text(quiz=TAP))
    _, problems = problems_of(images)
    assert [line for _, line, _ in problems] == [19]
    assert "ce fichier SVG est illisible" in problems[0][2]


def test_dont_know_must_be_true_or_false(folder):  # noqa: F811
    (folder / "01-casse.md").write_text(lesson_text(quiz=ORDER, extra_meta="dont_know: peut-être\n"))
    _, problems = problems_of(folder)
    assert [(line, message) for _, line, message in problems] == [
        (7, "« dont_know » s'écrit « dont_know: false » pour enlever « Je ne sais pas » des questions"),
    ]
def test_the_fixture_lesson_has_two_tap_questions_an_order_and_a_typed_answer():
    from tests.test_content_library import FIXTURES

    quiz = load_library(FIXTURES).lesson("demo-pratique").quiz
    assert [q.type for q in quiz.questions] == [QuestionType.TAP, QuestionType.TAP, QuestionType.ORDER, QuestionType.TYPED]


