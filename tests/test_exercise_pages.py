"""Practice scenarios as a learner meets them: plain form POSTs, hints, « Montrez-moi », traps,
the result, and every bad step answered in French without losing anything."""

from __future__ import annotations

import os
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import create_demo_accounts
from app.extensions import db
from app.lesson_library import get_library
from app.models import ScenarioRun, ScenarioStep
from tests.conftest import csrf_token
from tests.scenario_helpers import right_path

SCENARIO_ID = "exercice-demo-payer"
FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
STEP = re.compile(r'name="step" value="(\d+)"')


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True)).replace("\u202f", " ").replace("\u00a0", " ")


def words_of(response) -> str:
    """What a person reads: the page's words without its tags, spaces as one."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def start(client) -> str:
    intro = client.get(f"/exercices/{SCENARIO_ID}")
    assert intro.status_code == 200
    response = client.post(
        f"/exercices/{SCENARIO_ID}/commencer", data={"csrf_token": csrf_token(intro.get_data(as_text=True))}
    )
    assert response.status_code == 302
    return response.headers["Location"]


def act(client, url, action=None, values=None, show=False, step=None):
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "step": step or STEP.search(page).group(1), **(values or {})}
    if show:
        data["montrez-moi"] = "1"
    else:
        data["action"] = action
    return client.post(url, data=data)


@pytest.fixture
def signed_in(client, auth):
    auth.login()
    return client


def test_a_lesson_with_a_scenario_ends_with_the_exercise(signed_in):
    page = text_of(signed_in.get("/lecons/demo-premiers-pas"))
    assert "Exercice pratique : essayez sans risque" in page
    assert f'href="/exercices/{SCENARIO_ID}"' in page
    assert "Exercice pratique" not in text_of(signed_in.get("/lecons/demo-sans-quiz"))
    module = words_of(signed_in.get("/modules/demo"))
    assert "Exercices pratiques : essayez sans risque Payer une facture 4 minutes" in module
    assert "Exercices pratiques" not in words_of(signed_in.get("/modules/demo-suite"))


def test_the_intro_says_it_needs_a_connection_and_starts_a_run(signed_in):
    intro = text_of(signed_in.get(f"/exercices/{SCENARIO_ID}"))
    assert "Exercice — ce n'est pas un vrai site" in intro and "Rien n'est envoyé" in intro
    assert "Il faut une connexion" in intro and "Commencer l'exercice" in intro
    url = start(signed_in)
    screen = signed_in.get(url)
    assert screen.headers["Cache-Control"] == "no-store"
    page = text_of(screen)
    assert "Ma Banque (exercice)" in page and "Exercice — ce n'est pas un vrai site" in page
    assert "Mes messages" in page and "Colissimo" in page
    assert "Reprendre l'exercice" in text_of(signed_in.get(f"/exercices/{SCENARIO_ID}"))


def test_a_whole_run_with_a_wrong_action_a_trap_and_montrez_moi(app, signed_in):
    url = start(signed_in)
    wrong = act(signed_in, url, "Aide")
    assert wrong.status_code == 200 and "Ouvrez le message de votre banque." in text_of(wrong)
    trap = act(signed_in, url, "colis-faux")
    assert trap.status_code == 302
    trap_page = text_of(signed_in.get(url))
    assert "Un faux message" in trap_page and "escroc" in trap_page
    act(signed_in, url, "Revenir")
    with app.app_context():
        path = right_path(get_library().scenario(SCENARIO_ID))
    for screen_id, action, values in path:
        if screen_id == "paiement":
            typed = values | {"p3": "", "p4-numero": "1234"}
            kept = act(signed_in, url, action, typed)
            page = text_of(kept)
            assert "Cochez la case." in page and 'aria-invalid="true"' in page
            assert 'value="1234"' in page and 'value="42,50"' in page  # what she typed is kept
            shown = act(signed_in, url, show=True, values=typed)
            words = words_of(shown)
            assert "À faire : écrivez 4970 1000 0000 0001" in words and "À faire : cochez la case" in words
            assert "Par carte À faire : choisissez celui-ci" in words and "À faire : touchez ici Payer" in words
            assert 'value="1234"' in text_of(shown)
        response = act(signed_in, url, action, values)
        assert response.status_code == 302
    assert response.headers["Location"].endswith("/resultat")
    result = text_of(signed_in.get(response.headers["Location"]))
    assert "Exercice terminé" in result and "Bravo ! Le paiement est accepté." in result
    done_alone = result.split("Ce que vous avez fait sans aide")[1].split("<h2>")[0]
    helped = result.split("Ce qui a demandé un indice")[1].split("<h2>")[0]
    assert "Message de Ma Banque" in done_alone and "Payer la facture" in helped and "Mes messages" in helped
    assert "Un faux message" in result.split("Les pièges rencontrés")[1]
    # The lesson to read again: the payment screen's « Revoir », and the scenario's own lesson.
    assert 'href="/lecons/demo-sans-quiz"' in result and 'href="/lecons/demo-premiers-pas"' in result
    # Over: the screen sends to the result.
    assert signed_in.get(url).headers["Location"].endswith("/resultat")


def test_a_step_posted_twice_changes_nothing_and_shows_the_current_screen(app, signed_in):
    url = start(signed_in)
    first = act(signed_in, url, "Ma Banque", step="1")
    assert first.status_code == 302
    again = act(signed_in, url, "Ma Banque", step="1")
    assert again.status_code == 409
    page = text_of(again)
    assert "Cette action était déjà faite" in page and "Message de Ma Banque" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScenarioStep)) == 1


def test_an_action_the_screen_does_not_offer_or_a_bad_step_number_is_refused(app, signed_in):
    url = start(signed_in)
    assert act(signed_in, url, "Payer").status_code == 400
    assert act(signed_in, url, "Ma Banque", step="un").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScenarioStep)) == 0


def test_another_learner_s_run_is_not_found(client, auth, signed_in):
    url = start(signed_in)
    auth.logout()
    auth.login("josiane", "josiane-demo")
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/resultat").status_code == 404
    page = client.get("/mes-donnees").get_data(as_text=True)
    assert (
        client.post(url, data={"csrf_token": csrf_token(page), "step": "1", "action": "Ma Banque"}).status_code == 404
    )


def test_a_scenario_changed_since_the_run_started_keeps_the_run_and_offers_to_start_again(make_app, tmp_path, client):
    lessons = tmp_path / "lessons-changed"
    shutil.copytree(FIXTURES, lessons)
    app = make_app(LESSONS_DIR=str(lessons), DEBUG=True)
    with app.app_context():
        create_demo_accounts()
    client = app.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    client.post("/connexion", data={"csrf_token": csrf_token(page), "username": "amina", "password": "amina-demo"})
    url = start(client)
    assert act(client, url, "Ma Banque").status_code == 302
    form = client.get(url).get_data(as_text=True)
    scenario_file = lessons / "01-demo" / "exercices" / "payer-une-facture.md"
    scenario_file.write_text(scenario_file.read_text().replace("Payez-la avant", "Payez-la vite, avant"))
    os.utime(scenario_file, (os.path.getmtime(scenario_file) + 10,) * 2)
    changed = client.post(url, data={"csrf_token": csrf_token(form), "step": "2", "action": "Payer la facture"})
    assert changed.status_code == 409
    assert "a été modifié depuis que vous l'avez commencé" in text_of(changed) and "Recommencer l'exercice" in text_of(
        changed
    )
    assert client.get(url).status_code == 409
    with app.app_context():
        run = db.session.scalar(select(ScenarioRun))
        assert (run.step_count, run.current_screen_id) == (2, "message")
    assert "Reprendre l'exercice" not in text_of(client.get(f"/exercices/{SCENARIO_ID}"))
    fresh = start(client)
    assert fresh != url and "Mes messages" in text_of(client.get(fresh))


def test_the_offline_page_says_exercises_need_a_connection(client):
    assert "Les exercices pratiques ont besoin d'une connexion" in text_of(client.get("/hors-ligne"))


def test_an_unknown_scenario_is_not_found(signed_in):
    assert signed_in.get("/exercices/inconnu").status_code == 404


def test_the_hint_of_a_field_is_in_words_beside_it(signed_in):
    url = start(signed_in)
    act(signed_in, url, "Ma Banque")
    act(signed_in, url, "Payer la facture")
    response = act(signed_in, url, "Payer", {"p1": "", "p2": "1", "p3": "on"})
    assert "Montant à payer Recopiez le montant de la facture." in words_of(response)
    assert 'aria-describedby="e-p1"' in text_of(response)


def test_hostile_values_in_an_exercise_s_fields_are_kept_escaped_and_cut(signed_in):
    from tests.test_bad_input import RAW_SCRIPT, SUSPICIOUS

    url = start(signed_in)
    act(signed_in, url, "Ma Banque")
    act(signed_in, url, "Payer la facture")
    for value in [*SUSPICIOUS, "x" * 100_000]:
        if "\x00" in value:
            continue  # refused before any view (test_bad_input.py)
        response = act(signed_in, url, "Payer", {"p1": value, "p2": value, "p3": value})
        assert response.status_code == 200, value[:20]
        assert RAW_SCRIPT not in response.get_data(as_text=True)
        assert "Recopiez le montant de la facture." in words_of(response)
    assert f'value="{"x" * 200}"' in text_of(response) and "x" * 201 not in text_of(response)
