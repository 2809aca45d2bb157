"""Practice scenarios: the file format, every validation rule with file and line, the step logic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.content import load_library
from app.content.scenarios import (
    CHECKED,
    InputKind,
    PartKind,
    ScreenKind,
    StepOutcome,
    UnknownAction,
    demonstration,
    step,
)
from app.content.typography import french_spacing
from tests.scenario_helpers import right_path

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
FIXTURE_SCENARIO = FIXTURES / "01-demo" / "exercices" / "payer-une-facture.md"
SCENARIO_ID = "exercice-demo-payer"

HEADER = """---
id: exercice-essai
title: Un essai
service: Essai
lesson: demo-premiers-pas
duration: 3
verified: 2026-12-01
sources:
  - url: https://www.service-public.gouv.fr/
    supports: Un essai.
---

Un exercice d'essai. Rien n'est envoyé.
"""
GOOD_SCREENS = """
## Écran accueil : Accueil
Bouton : Continuer
Bonne action : Continuer -> fin
Indice : Touchez « Continuer ».

## Fin fin : C'est fini
Texte : Bravo.
"""


@pytest.fixture(scope="module")
def library():
    return load_library(FIXTURES)


@pytest.fixture(scope="module")
def scenario(library):
    return library.scenario(SCENARIO_ID)


def load_with(tmp_path, text: str):
    """The fixture library with one more scenario file; its path and the library's problems."""
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURES, root)
    path = root / "01-demo" / "exercices" / "essai.md"
    path.write_text(text, encoding="utf-8")
    library = load_library(root)
    return path, library


def problems_of(tmp_path, text: str) -> list[str]:
    path, library = load_with(tmp_path, text)
    return [f"{p.line}: {p.message}" for p in library.problems if p.path == path]


def test_the_fixture_scenario_loads_with_every_part_kind(library, scenario):
    assert library.problems == []
    assert scenario.title == "Payer une facture" and scenario.service == "Ma Banque"
    assert scenario.lesson_id == "demo-premiers-pas" and scenario.module_id == "demo" and scenario.duration == 4
    assert scenario.first_screen_id == "accueil"
    assert list(scenario.screens) == ["accueil", "piege", "message", "paiement", "code", "fin"]
    assert [s.kind for s in scenario.screens.values()] == [ScreenKind.SCREEN, ScreenKind.TRAP] + [
        ScreenKind.SCREEN
    ] * 3 + [ScreenKind.END]
    assert {p.kind for s in scenario.screens.values() for p in s.parts} == set(PartKind)
    assert "Rien n'est envoyé" in scenario.intro_html
    assert len(scenario.version) == 12
    assert library.scenarios_of_lesson("demo-premiers-pas") == [scenario]
    assert library.scenarios_of_module("demo") == [scenario]
    assert library.scenarios_of_lesson("demo-sans-quiz") == [] and library.scenario("inconnu") is None


def test_the_parts_carry_what_is_drawn(scenario):
    inbox = scenario.screens["accueil"].parts[1]
    assert inbox.kind is PartKind.MESSAGES
    assert [(i.sender, i.label) for i in inbox.items] == [("Colissimo", "colis-faux"), ("Ma Banque", "Ma Banque")]
    assert scenario.screens["accueil"].labels == ("colis-faux", "Ma Banque", "Aide")
    payment = scenario.screens["paiement"]
    assert [i.kind for i in payment.inputs] == [InputKind.TEXT, InputKind.CHOICE, InputKind.CHECKBOX] + [
        InputKind.TEXT
    ] * 3
    choice = payment.inputs[1]
    assert choice.options == ("Par chèque", "Par carte") and choice.right_option == 1
    card = payment.parts[4]
    assert card.kind is PartKind.CARD and card.extra == ("4970 1000 0000 0001", "12/28", "123", "AWA DIALLO")
    assert payment.review_lesson_id == "demo-sans-quiz"
    code = scenario.screens["code"].parts[0]
    assert code.kind is PartKind.CODE and code.text == "Ma Banque" and code.inputs[0].label == "Code reçu par SMS"


def test_a_right_action_moves_on_a_mistake_leads_to_its_trap_anything_else_is_wrong(scenario):
    assert step(scenario, "accueil", "Ma Banque", {}).outcome is StepOutcome.RIGHT
    assert step(scenario, "accueil", "Ma Banque", {}).next_screen_id == "message"
    mistake = step(scenario, "accueil", "colis-faux", {})
    assert (mistake.outcome, mistake.next_screen_id) == (StepOutcome.MISTAKE, "piege")
    wrong = step(scenario, "accueil", "Aide", {})
    assert (wrong.outcome, wrong.next_screen_id) == (StepOutcome.WRONG, "accueil")
    assert wrong.hint == "Ouvrez le message de votre banque."
    assert step(scenario, "piege", "Revenir", {}).next_screen_id == "accueil"


def test_a_right_action_needs_every_field_right_and_names_the_first_wrong_ones_hint(scenario):
    right = demonstration(scenario, "paiement").values
    assert step(scenario, "paiement", "Payer", right).next_screen_id == "code"
    unchecked = right | {"p3": ""}
    result = step(scenario, "paiement", "Payer", unchecked)
    assert (result.outcome, result.hint, result.field_errors) == (StepOutcome.WRONG, "Cochez la case.", ("p3",))
    result = step(scenario, "paiement", "Payer", right | {"p1": "42", "p2": "0"})
    assert result.hint == "Recopiez le montant de la facture." and result.field_errors == ("p1", "p2")
    # The other button of a screen with fields: the screen's hint.
    assert step(scenario, "paiement", "Annuler", right).hint == french_spacing(
        "Remplissez tout, puis touchez « Payer »."
    )


@pytest.mark.parametrize(
    "typed, accepted",
    [
        ("42,50", True),
        ("42.50", True),
        (" 42,5 € ", True),
        ("42,50€", True),
        ("4 2,50", True),
        ("42", False),
        ("", False),
    ],
)
def test_numbers_compare_without_spaces_comma_or_euro(scenario, typed, accepted):
    values = demonstration(scenario, "paiement").values | {"p1": typed}
    assert step(scenario, "paiement", "Payer", values).right is accepted


@pytest.mark.parametrize(
    "typed, accepted",
    [
        ("482913", True),
        ("482 913", True),
        ("48291", False),
        ("4829130", False),
    ],
)
def test_a_code_is_its_digits(scenario, typed, accepted):
    values = demonstration(scenario, "code").values | {"p0": typed}
    assert step(scenario, "code", "Confirmer", values).right is accepted


def test_a_pattern_field_accepts_what_matches_and_shows_its_example(scenario):
    shown = demonstration(scenario, "code")
    assert shown.action_label == "Confirmer" and shown.values == {"p0": "482913", "p1": "awa@exemple.fr"}
    assert (
        step(scenario, "code", "Confirmer", shown.values | {"p1": "awa.exemple.fr"}).hint
        == "Écrivez une adresse e-mail."
    )


def test_text_compares_without_case_accents_or_surrounding_spaces(tmp_path):
    screens = GOOD_SCREENS.replace(
        "Bouton : Continuer\n",
        "Champ : Ville | attendu : Évry-Courcouronnes | indice : La ville.\nBouton : Continuer\n",
    )
    _, library = load_with(tmp_path, HEADER + screens)
    essai = library.scenario("exercice-essai")
    assert step(essai, "accueil", "Continuer", {"p0": "  evry-courcouronnes "}).right
    assert not step(essai, "accueil", "Continuer", {"p0": "Evry"}).right


def test_the_demonstration_gives_the_right_action_and_every_value(scenario):
    shown = demonstration(scenario, "paiement")
    assert shown.action_label == "Payer"
    assert shown.values == {
        "p1": "42,50",
        "p2": "1",
        "p3": CHECKED,
        "p4-numero": "4970 1000 0000 0001",
        "p4-date": "12/28",
        "p4-cryptogramme": "123",
    }


def test_what_no_form_of_the_scenario_sends_is_refused(scenario):
    with pytest.raises(UnknownAction):
        step(scenario, "accueil", "Payer", {})
    with pytest.raises(UnknownAction):
        step(scenario, "inconnu", "Aide", {})
    with pytest.raises(UnknownAction):
        step(scenario, "fin", "Aide", {})
    with pytest.raises(UnknownAction):
        demonstration(scenario, "fin")


def test_a_good_scenario_has_no_problem(tmp_path):
    assert problems_of(tmp_path, HEADER + GOOD_SCREENS) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (("Bouton : Continuer", "Bouton : Continuer\nTableau : rien"), "17: sorte de ligne inconnue « Tableau »"),
        (
            ("Bouton : Continuer", "Bouton : Continuer\nChamp : Nom | attendu : Awa | couleur : bleu"),
            "17: « Champ » : clé inconnue « couleur »",
        ),
        (("title: Un essai\n", ""), "1: « title » manque"),
        (("id: exercice-essai\n", ""), "1: « id » manque ou est invalide"),
        (("lesson: demo-premiers-pas\n", ""), "1: « lesson » manque"),
        (("lesson: demo-premiers-pas", "lesson: inconnue"), "5: leçon inconnue : « inconnue »"),
        (("duration: 3\n", "duration: 3\ncouleur: bleu\n"), "7: clé inconnue dans l'en-tête : « couleur »"),
        (
            ("Indice : Touchez « Continuer ».", "Indice : Touchez « Continuer ».\nRevoir : inconnue"),
            "19: leçon inconnue : « inconnue »",
        ),
        (
            ("## Fin fin", "## Écran accueil : Encore\nBouton : A\nBonne action : A -> fin\nIndice : a.\n\n## Fin fin"),
            "20: identifiant d'écran « accueil » déjà utilisé ligne 15",
        ),
        (("Bonne action : Continuer -> fin", "Bonne action : Continue -> fin"), "17: « Continue » n'est pas un bouton"),
        (("Bonne action : Continuer -> fin", "Bonne action : Continuer -> ailleurs"), "17: écran inconnu « ailleurs »"),
        (("Bonne action : Continuer -> fin\n", ""), "15: cet écran n'a pas de « Bonne action"),
        (("Indice : Touchez « Continuer ».\n", ""), "15: cet écran n'a pas d'« Indice"),
        (
            ("Texte : Bravo.", "Texte : Bravo.\nBonne action : Bravo -> accueil"),
            "22: un écran « Fin » n'a pas d'action",
        ),
        (("Bouton : Continuer", "Bouton : Continuer\nBouton : Continuer"), "17: « Continuer » est déjà sur cet écran"),
        (
            ("Bouton : Continuer", "Champ : Code | attendu : /[0-9/ | exemple : 1\nBouton : Continuer"),
            "16: modèle « /[0-9/ » incorrect",
        ),
        (
            ("Bouton : Continuer", "Champ : Code | attendu : /[0-9]+/\nBouton : Continuer"),
            "16: un champ avec un modèle « /…/ » a besoin d'un « | exemple",
        ),
        (
            ("Bouton : Continuer", "Choix : Lequel ?\n- Un\n- Deux\nBouton : Continuer"),
            "16: un « Choix » a besoin d'exactement une option marquée « (bon) » (ici 0)",
        ),
        (
            ("Bouton : Continuer", "Choix : Lequel ?\n- (bon) Un\n- (bon) Deux\nBouton : Continuer"),
            "16: un « Choix » a besoin d'exactement une option marquée « (bon) » (ici 2)",
        ),
        (
            ("Bouton : Continuer", "Case : J'accepte | attendu : oui\nBouton : Continuer"),
            "16: une « Case » a besoin de « | attendu : cochée »",
        ),
        (
            ("Bouton : Continuer", "Carte bancaire : 4970 | 12/28\nBouton : Continuer"),
            "16: écrivez « Carte bancaire : numéro | MM/AA | cryptogramme | nom »",
        ),
        (
            ("## Fin fin", "## Écran seul : Seul\nBouton : A\nBonne action : A -> fin\nIndice : a.\n\n## Fin fin"),
            "20: l'écran « seul » ne peut pas être atteint",
        ),
        (
            (
                "Bonne action : Continuer -> fin\nIndice : Touchez « Continuer ».",
                "Bonne action : Continuer -> boucle\nIndice : Touchez.\n\n## Écran boucle : Boucle\nBouton : A\nBonne action : A -> accueil\nIndice : a.",
            ),
            "20: impasse : depuis l'écran « boucle »",
        ),
        (("## Écran accueil", "## Écrans accueil"), "15: titre d'écran non compris"),
    ],
)
def test_each_problem_is_reported_with_its_line(tmp_path, change, expected):
    old, new = change
    text = HEADER + GOOD_SCREENS
    assert old in text
    found = problems_of(tmp_path, text.replace(old, new, 1))
    assert any(problem.startswith(expected) for problem in found), found


def test_sources_are_required(tmp_path):
    text = (HEADER + GOOD_SCREENS).replace(
        "sources:\n  - url: https://www.service-public.gouv.fr/\n    supports: Un essai.\n", ""
    )
    assert any("pas de sources" in problem for problem in problems_of(tmp_path, text))


def test_a_scenario_id_is_unique_across_lessons_and_scenarios(tmp_path):
    found = problems_of(tmp_path, (HEADER + GOOD_SCREENS).replace("id: exercice-essai", "id: demo-premiers-pas"))
    assert any(problem.startswith("2: identifiant « demo-premiers-pas » déjà utilisé") for problem in found), found


def test_a_scenario_with_a_problem_is_left_out_and_the_lessons_stay(tmp_path):
    _, library = load_with(tmp_path, HEADER + GOOD_SCREENS.replace("Bonne action : Continuer -> fin\n", ""))
    assert library.scenario("exercice-essai") is None
    assert library.scenario(SCENARIO_ID) is not None and library.lesson("demo-premiers-pas") is not None


def test_lessons_check_reports_scenario_problems_with_file_and_line(app, tmp_path):
    path, _ = load_with(tmp_path, HEADER + GOOD_SCREENS.replace("-> fin", "-> ailleurs"))
    result = app.test_cli_runner().invoke(args=["lessons", "check", "--dir", str(path.parents[2])])
    assert result.exit_code == 1
    assert f"{path}:17: écran inconnu « ailleurs »" in result.output


def test_the_complete_example_of_lessons_readme_is_a_valid_exercise(tmp_path):
    """The example authors copy from: valid, loaded, and playable to its end."""
    lessons = Path(__file__).parents[1] / "lessons"
    readme = (lessons / "README.md").read_text(encoding="utf-8")
    example = readme.split("### A complete exercise\n\n```\n", 1)[1].split("\n```\n", 1)[0] + "\n"
    root = tmp_path / "lessons"
    shutil.copytree(lessons, root)
    path = root / "01-parentalite-et-foyer" / "exercices" / "exemple-du-readme.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(example, encoding="utf-8")
    library = load_library(root)
    assert [p for p in library.problems if p.path == path] == []
    example_scenario = library.scenario("exercice-exemple-du-readme")
    kinds = {p.kind for s in example_scenario.screens.values() for p in s.parts}
    assert kinds >= {
        PartKind.TEXT,
        PartKind.DOCUMENT,
        PartKind.BUTTON,
        PartKind.LINK,
        PartKind.FIELD,
        PartKind.CHOICE,
        PartKind.CHECKBOX,
        PartKind.MESSAGES,
    }
    assert [screen for screen, _, _ in right_path(example_scenario)] == ["accueil", "compte", "trimestre"]
