"""The participant screens in plain words: search, numbers that follow their rule, dates, no point médian."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app import progress
from app.content import grade, load_library, score_needed
from app.content.search import search
from app.formats import day_in_words, moment_in_words, time_in_words

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library(ROOT / "tests" / "fixtures" / "lessons")
FIRST = LIBRARY.lesson("demo-premiers-pas")


# The pass mark, written once --------------------------------------------------------------


@pytest.mark.parametrize("pass_mark", [1, 50, 60, 67, 70, 80, 100])
@pytest.mark.parametrize("questions", [1, 2, 3, 5, 7, 10])
def test_the_score_needed_is_exactly_the_lowest_passing_score(pass_mark, questions):
    needed = score_needed(pass_mark, questions)
    assert 1 <= needed <= questions
    # The wording says « il faut N » and grading passes from N on: the same rule.
    for score in range(questions + 1):
        assert (100 * score >= pass_mark * questions) == (score >= needed), score


def test_a_result_passes_from_the_score_needed_on():
    right = {q.key: sorted(q.right_keys) for q in FIRST.quiz.questions}
    wrong_one = right | {"q3": ["vrai"]}
    assert score_needed(FIRST.pass_mark, 3) == 3
    assert grade(FIRST.quiz, right).passed(FIRST.pass_mark)
    assert not grade(FIRST.quiz, wrong_one).passed(FIRST.pass_mark)


# Search -----------------------------------------------------------------------------------


def test_search_ignores_case_accents_and_word_order():
    assert [lesson.id for lesson in search(LIBRARY, "PREMIERS").lessons] == ["demo-premiers-pas"]
    assert search(LIBRARY, "pas premiers").lessons == search(LIBRARY, "premiers pas").lessons
    objective = FIRST.objectives[0].split()[-1].strip(".").upper()
    assert FIRST in search(LIBRARY, objective).lessons  # objectives are searched too
    assert search(LIBRARY, "premiers introuvable").lessons == ()  # every word must be found
    assert search(LIBRARY, "   ") == search(LIBRARY, "")


def test_search_finds_glossary_words_and_their_definitions():
    (entry,) = search(LIBRARY, "CADENAS").glossary
    assert entry.word == "cadenas"
    assert search(LIBRARY, "serrure").glossary == (entry,)  # the definition is searched too
    assert search(LIBRARY, "mots de passe").glossary[0].word == "mot de passe"  # and the other forms
    assert search(LIBRARY, "premiers").glossary == ()


def test_a_glossary_word_found_on_home_leads_to_its_definition(client, auth):
    auth.login()
    found = client.get("/?q=cadenas").get_data(as_text=True)
    assert 'href="/glossaire#cadenas"' in found.split('id="resultats"')[1]


def test_home_search_works_as_a_plain_form(client, auth):
    auth.login()
    home = client.get("/").get_data(as_text=True)
    assert 'method="get"' in home and 'name="q"' in home and 'role="search"' in home
    found = client.get("/?q=premiers").get_data(as_text=True)
    results = found.split('id="resultats"')[1].split("Les modules")[0]
    assert f'href="/lecons/{FIRST.id}"' in results and "Leçon 1" in results
    nothing = client.get("/?q=zzz").get_data(as_text=True)
    assert "Aucune leçon ne parle de « zzz »" in nothing
    long = client.get("/?q=" + "a" * 5000)
    assert long.status_code == 200


def test_the_module_card_is_one_link(client, auth):
    auth.login()
    home = client.get("/").get_data(as_text=True)
    cards = re.findall(r'<li class="card card-tappable">(.*?)</li>', home, re.S)
    assert cards and all(card.count("<a ") == 1 for card in cards)


# Help: the limits the wording follows -----------------------------------------------------


def test_the_help_page_takes_its_limit_from_the_rules(client, auth, monkeypatch):
    from app import rules

    auth.login()
    page = client.get(f"/lecons/{FIRST.id}/aide").get_data(as_text=True)
    assert f'maxlength="{rules.HELP_MESSAGE_MAX}"' in page
    assert f"{rules.HELP_MESSAGE_MAX} caractères au plus." in page
    monkeypatch.setattr(rules, "HELP_MESSAGE_MAX", 300)
    assert 'maxlength="300"' in client.get(f"/lecons/{FIRST.id}/aide").get_data(as_text=True)


def test_every_call_back_time_offered_is_one_progress_knows():
    from app.learn.forms import CALL_BACK_CHOICES

    assert [choice.value for choice in CALL_BACK_CHOICES] == ["", *progress.CALL_BACK_TIMES]


# Dates in words, in Paris -----------------------------------------------------------------


def test_dates_are_said_in_words_in_paris_time(app):
    with app.test_request_context():
        assert moment_in_words(datetime(2026, 12, 1, 13, 5)) == "le 1er décembre 2026 à 14\u00a0h\u00a005"
        assert moment_in_words(datetime(2026, 7, 14, 22, 30)) == "le 15 juillet 2026 à 0\u00a0h\u00a030"  # past midnight in Paris
        assert time_in_words("2026-03-02T09:07:00+01:00") == "9\u00a0h\u00a007"
        assert day_in_words(date(2026, 5, 1)) == "1er mai 2026"
        assert day_in_words(datetime(2026, 5, 1, 12, tzinfo=UTC)) == "1er mai 2026"


# Wording: no point médian where a participant reads or hears -------------------------------


PARTICIPANT_FILES = [
    *sorted((ROOT / "templates").glob("*.html")),
    *sorted(path for folder in ("learn", "auth", "privacy", "pages", "_partials", "_macros")
            for path in (ROOT / "templates" / folder).rglob("*") if path.is_file()),
    ROOT / "templates" / "facilitate" / "_cards.html",  # the card is the participant's
    ROOT / "static" / "js" / "app.js",
]


@pytest.mark.parametrize("path", PARTICIPANT_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_point_median_on_participant_screens(path):
    assert not re.search(r"\w·\w", path.read_text(encoding="utf-8").replace(" · ", ""))


def test_no_point_median_nor_plural_in_brackets_on_the_pages_people_read(client, auth):
    auth.login()
    for url in ("/", "/modules/demo", f"/lecons/{FIRST.id}", f"/lecons/{FIRST.id}/aide", "/parcours", "/mes-donnees",
                "/mes-donnees/suppression", "/accessibilite", "/confidentialite"):
        page = client.get(url).get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", page.split('<main id="contenu">')[1])
        assert not re.search(r"\w·\w", text), url
        assert "(s)" not in text, url


def test_sign_in_page_mentions_the_card_square_and_a_hidden_reveal_button(client):
    page = client.get("/connexion").get_data(as_text=True)
    assert "visez le carré noir et blanc de la carte" in page
    assert re.search(r"<button[^>]*data-password-reveal[^>]*hidden>Voir le mot de passe</button>", page)


def test_signing_out_is_with_the_account_actions_not_in_the_menu(client, auth):
    auth.login()
    page = client.get("/").get_data(as_text=True)
    menu = page.split('aria-label="Menu principal"')[1].split("</nav>")[0]
    assert "Se déconnecter" not in menu
    assert "Se déconnecter" in page.split('<footer class="site-footer">')[1]
    assert "Se déconnecter" in client.get("/mes-donnees").get_data(as_text=True).split("</main>")[0]


def test_home_offers_help_on_the_lesson_to_continue_apart_from_continuer(client, auth):
    auth.login()
    home = client.get("/").get_data(as_text=True)
    offer = home.split('class="help-offer"')[1].split("</div>")[0]
    assert f'href="/lecons/{FIRST.id}/aide"' in offer and f"Vous bloquez sur « {FIRST.title} »" in offer
    assert "Continuer" not in offer
