"""The practice scenarios shipped in lessons/: their size, plain French, hints that teach, the
mistakes each one plans, and a learner walking them to the end by plain form POSTs."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from app.cli import create_demo_accounts
from app.content import load_library
from app.content.scenarios import ScreenKind, StepOutcome, step
from app.lesson_library import get_library
from tests.conftest import csrf_token
from tests.scenario_helpers import right_path

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
LIBRARY = load_library(LESSONS)
SCENARIOS = list(LIBRARY.scenarios.values())
STEP = re.compile(r'name="step" value="(\d+)"')
# The three scenarios of issue 16 for modules 01 to 03, each with the lesson it practises.
AUTHORED = {
    "exercice-caf-declarer-ressources": "famille-caf-telephone",
    "exercice-sms-arnaques-33700": "info-e-mail-et-messagerie",
    "exercice-payer-en-ligne": "achat-payer-securite",
}


def scenario(scenario_id):
    return LIBRARY.scenario(scenario_id)


def input_name(scenario_id, screen_id, label):
    return next(i.name for i in scenario(scenario_id).screens[screen_id].inputs if i.label == label)


def plain(text: str) -> str:
    """The text with the typographic thin spaces the renderer adds turned into plain ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def text_of(response) -> str:
    return plain(unescape(response.get_data(as_text=True)))


def test_the_scenarios_load_without_problem_and_practise_their_lesson():
    # The whole folder's problems are test_lessons_content's; these are the exercise files' own.
    assert [p for p in LIBRARY.problems if "exercices" in Path(p.path).parts] == []
    for scenario_id, lesson_id in AUTHORED.items():
        assert scenario(scenario_id) is not None, scenario_id
        assert scenario(scenario_id).lesson_id == lesson_id
        assert scenario(scenario_id) in LIBRARY.scenarios_of_lesson(lesson_id)


@pytest.mark.parametrize("shipped", SCENARIOS, ids=lambda s: s.id)
def test_each_scenario_is_short_sourced_and_ends_by_its_right_actions(shipped):
    assert 5 <= len(shipped.screens) <= 9
    assert shipped.verified and shipped.sources
    assert all(source.url.startswith("https://") for source in shipped.sources)
    last_screen, action, values = right_path(shipped)[-1]
    assert shipped.screens[step(shipped, last_screen, action, values).next_screen_id].is_end


@pytest.mark.parametrize("shipped", SCENARIOS, ids=lambda s: s.id)
def test_each_mistake_leads_to_a_trap_that_brings_her_back(shipped):
    for screen in shipped.screens.values():
        for mistake in screen.mistakes:
            trap = shipped.screens[mistake.target]
            assert trap.kind is ScreenKind.TRAP, (screen.id, mistake.label)
            assert [a.target for a in trap.right_actions] == [screen.id]


@pytest.mark.parametrize("shipped", SCENARIOS, ids=lambda s: s.id)
def test_each_scenario_is_in_plain_french_with_hints_that_say_where_to_look(shipped):
    # What the learner reads: the intro and the screens, after the front matter (its source
    # addresses may hold « % »).
    text = Path(shipped.path).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert "(s)" not in text and "%" not in text and "etc." not in text
    for screen in shipped.screens.values():
        hints = [screen.hint] + [i.hint for i in screen.inputs if i.hint]
        for hint in filter(None, hints):
            assert len(hint.split()) >= 5 and "essayez encore" not in hint.lower(), (screen.id, hint)


def test_the_caf_payslip_amount_is_the_montant_net_social_not_the_brut_nor_the_net_a_payer():
    caf = scenario("exercice-caf-declarer-ressources")
    field = input_name(caf.id, "corriger", "Salaire d'octobre, en montant net social")
    for typed in ("1 650,00", "1 250,37", "1284"):
        result = step(caf, "corriger", "Enregistrer", {field: typed})
        assert result.outcome is StepOutcome.WRONG and result.next_screen_id == "corriger"
        assert "« Montant net social »" in plain(result.hint) and "« net à payer »" in plain(result.hint)
    for typed in ("1 284,12", "1284.12 €"):
        assert step(caf, "corriger", "Enregistrer", {field: typed}).next_screen_id == "justificatif"
    # Validating the pre-filled declaration without reading it is the planned mistake.
    assert step(caf, "salaires", "Tout est juste, continuer", {}).next_screen_id == "piege-valider"


def test_the_scam_link_is_a_trap_and_the_report_goes_to_33700_with_the_senders_number():
    sms = scenario("exercice-sms-arnaques-33700")
    assert step(sms, "boite", "colis", {}).outcome is StepOutcome.WRONG  # a scam is not a real message
    assert step(sms, "sms-colis", "colis-suivi-frais.info", {}).next_screen_id == "piege-lien"
    to = input_name(sms.id, "transfert", "À")
    assert step(sms, "transfert", "Envoyer", {to: "3370"}).outcome is StepOutcome.WRONG
    assert step(sms, "transfert", "Envoyer", {to: "33700"}).next_screen_id == "reponse"
    answer = input_name(sms.id, "reponse", "Votre réponse")
    assert step(sms, "reponse", "Envoyer", {answer: "06 39 98 77 03"}).outcome is StepOutcome.WRONG
    assert step(sms, "reponse", "Envoyer", {answer: "0639984127"}).next_screen_id == "fin"


def test_the_fake_payment_page_is_left_and_paying_there_is_a_trap():
    pay = scenario("exercice-payer-en-ligne")
    assert step(pay, "faux-paiement", "Payer 9,90 €", {}).next_screen_id == "piege-faux"
    assert step(pay, "faux-paiement", "Quitter cette page", {}).next_screen_id == "signes"
    code = input_name(pay.id, "validation", "Code de l'application Ma Banque")
    # Refusing her own purchase is wrong: the hint tells her to compare the shop and the amount.
    refused = step(pay, "validation", "Refuser", {code: "2580"})
    assert refused.outcome is StepOutcome.WRONG and "Maison Claire" in refused.hint


@pytest.fixture
def app(make_app):
    """The app on the shipped lessons (the shared one reads the test fixtures)."""
    app = make_app(LESSONS_DIR=str(LESSONS))
    with app.app_context():
        create_demo_accounts()
    return app


@pytest.mark.parametrize("scenario_id", AUTHORED)
def test_a_learner_walks_the_scenario_from_its_lesson_to_the_result(app, client, auth, scenario_id):
    auth.login()
    lesson_page = text_of(client.get(f"/lecons/{AUTHORED[scenario_id]}"))
    assert f'href="/exercices/{scenario_id}"' in lesson_page
    intro = client.get(f"/exercices/{scenario_id}")
    assert "Rien n'est envoyé" in text_of(intro)
    started = client.post(
        f"/exercices/{scenario_id}/commencer", data={"csrf_token": csrf_token(intro.get_data(as_text=True))}
    )
    url = started.headers["Location"]
    with app.app_context():
        path = right_path(get_library().scenario(scenario_id))
    for _screen_id, action, values in path:
        page = client.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        data = {"csrf_token": csrf_token(html), "step": STEP.search(html).group(1), "action": action, **values}
        response = client.post(url, data=data)
        assert response.status_code == 302
    assert response.headers["Location"].endswith("/resultat")
    assert "Exercice terminé" in text_of(client.get(response.headers["Location"]))
