"""Practice scenarios as a facilitator meets them: the group's exercises beside its lessons, a
page per scenario (who started, finished, finished alone, the hardest screen), each learner's
path step by step, her runs on her page, the impact report's count, and Mes données."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.lesson_library import get_library
from app.models import ScenarioRun, ScenarioStep, User, utcnow
from app.privacy import services as privacy
from tests.facilitate_helpers import SHOW, exercise, login, make_group, make_learner
from tests.test_facilitate_group_view import StatementCounter

SCENARIO = "exercice-demo-payer"
# The fixture's way through: messages, the bank's message, the payment form, the code.
RIGHT_PATH = ["Ma Banque", "Payer la facture", "Payer", "Confirmer"]


def text(html: str) -> str:
    """The page as read: tags out, spaces (non-breaking ones too) joined."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" .", ".").replace(" ,", ",")


@pytest.fixture
def group(app):
    """Groupe Exercices (bruno): Awa alone; Binta through a trap and two « Montrez-moi »; Chloé
    stopped on the payment form; Dina nothing; Eva stopped once there, then alone."""
    start = utcnow() - timedelta(hours=3)
    with app.app_context():
        scenario = get_library().scenario(SCENARIO)
        group_id = make_group("Groupe Exercices", facilitators=["bruno"])
        ids = {name: make_learner(name.lower(), group_id, name) for name in ("Awa", "Binta", "Chloé", "Dina", "Eva")}
        exercise(ids["Awa"], scenario, RIGHT_PATH, start)
        exercise(
            ids["Binta"],
            scenario,
            ["colis-faux", "Revenir", "Ma Banque", "Payer la facture", SHOW, "Payer", SHOW, "Confirmer"],
            start,
        )
        exercise(ids["Chloé"], scenario, ["Aide", "Ma Banque", "Payer la facture", ("Payer", {}), SHOW], start)
        exercise(ids["Eva"], scenario, ["Ma Banque", "Payer la facture"], start)
        exercise(ids["Eva"], scenario, RIGHT_PATH, start + timedelta(hours=1))
        db.session.remove()
    return {"id": group_id, **ids}


def test_the_group_page_shows_each_exercise_beside_the_lessons(app, client, group):
    login(client, "bruno")
    html = client.get(f"/animation/groupes/{group['id']}").get_data(as_text=True)
    section = html.split('id="exercices"', 1)[1].split("</section>", 1)[0]
    assert html.index('id="tableau"') < html.index('id="exercices"')
    assert f'href="/animation/groupes/{group["id"]}/exercices/{SCENARIO}">Payer une facture</a>' in section
    rows = {
        name: section.split(f">{name}</a></th>", 1)[1].split("</tr>", 1)[0]
        for name in ("Awa", "Binta", "Chloé", "Dina", "Eva")
    }
    assert (
        'title="Terminé sans « Montrez-moi »">S</abbr>' in rows["Awa"]
        and 'title="Terminé sans « Montrez-moi »">S</abbr>' in rows["Eva"]
    )
    assert 'title="Terminé avec « Montrez-moi »">T</abbr>' in rows["Binta"]
    assert 'title="Commencé, pas terminé">C</abbr>' in rows["Chloé"]
    assert 'title="Pas commencé">–</abbr>' in rows["Dina"] and "<a " not in rows["Dina"]
    assert f'href="/animation/participants/{group["Chloé"]}/exercices/{SCENARIO}"' in rows["Chloé"]
    lesson = client.get(f"/animation/groupes/{group['id']}/lecons/demo-premiers-pas").get_data(as_text=True)
    assert f'href="/animation/groupes/{group["id"]}/exercices/{SCENARIO}">Payer une facture</a>' in lesson
    totals = text(section.split("<tfoot>", 1)[1])
    assert "4 ont commencé" in totals and "3 ont terminé" in totals and "dont 2 sans aide" in totals


def test_the_scenario_page_says_who_finished_alone_and_the_hardest_screen(app, client, group):
    login(client, "bruno")
    response = client.get(f"/animation/groupes/{group['id']}/exercices/{SCENARIO}")
    assert response.status_code == 200
    page = text(response.get_data(as_text=True))
    assert "4 personnes du groupe ont commencé l'exercice. (5 essais en tout.)" in page
    assert "3 l'ont terminé." in page and "2 l'ont terminé sans « Montrez-moi »." in page
    # The payment form: two runs stopped there (Chloé, Eva's first), two asked « Montrez-moi » there.
    assert (
        "L'écran « Payer la facture » : 2 essais se sont arrêtés là sans être terminés ; "
        "« Montrez-moi » y a été demandé dans 2 essais (2 fois en tout)."
    ) in page
    people = page.split("Chaque personne", 1)[1]
    assert "Awa terminé sans « Montrez-moi » 1" in people and "Binta terminé avec « Montrez-moi » 1" in people
    assert "Chloé commencé, pas terminé 1" in people and "Dina pas commencé 0 –" in people
    assert "Eva terminé sans « Montrez-moi » 2" in people


def test_a_learners_path_step_by_step_with_hints_and_time(app, client, group):
    login(client, "bruno")
    response = client.get(f"/animation/participants/{group['Chloé']}/exercices/{SCENARIO}")
    assert response.status_code == 200
    page = text(response.get_data(as_text=True))
    assert "Chloé : « Payer une facture »" in page and "1 essai, le plus récent en premier." in page
    assert "Pas terminé : arrêté à l'écran « Payer la facture ». 2 erreurs." in page
    steps = page.split("Temps", 2)[2]
    assert "1 Mes messages erreur : a touché « Aide » « Ouvrez le message de votre banque. »" in steps
    assert "2 Mes messages bonne action : a touché « Ma Banque » –" in steps
    assert "3 Message de Ma Banque bonne action : a touché « Payer la facture » –" in steps
    # Everything was left empty: each field, choice and box is named, with the hint she read (the first one's).
    assert (
        "4 Payer la facture erreur : a touché « Payer », mais à corriger : « Montant à payer », "
        "« Comment voulez-vous payer ? », « J&#39;accepte les conditions », « Numéro de la carte », "
        "« Date d&#39;expiration (MM/AA) », « Cryptogramme (3 chiffres) » « Recopiez le montant de la facture. »"
    ) in steps
    assert "5 Payer la facture a demandé « Montrez-moi » on lui a montré : « Payer »" in steps
    # Each step came 30 s after the one before; the first one, her first entry ever, is credited nothing.
    assert steps.count(" 30 s") == 4 and steps.count(" 0 s") == 1


def test_a_wrong_field_recorded_before_fields_were_kept_is_told_without_naming_it(app, client, group):
    with app.app_context():  # a step of a run made before migration 0016
        db.session.execute(update(ScenarioStep).values(wrong_inputs=[]))
        db.session.commit()
    login(client, "bruno")
    page = text(client.get(f"/animation/participants/{group['Chloé']}/exercices/{SCENARIO}").get_data(as_text=True))
    assert (
        "4 Payer la facture erreur : a touché « Payer », mais un champ, un choix ou une case n'était pas bon –" in page
    )


def test_every_run_of_a_learner_is_on_her_path_and_on_her_page(app, client, group):
    login(client, "bruno")
    path = text(client.get(f"/animation/participants/{group['Eva']}/exercices/{SCENARIO}").get_data(as_text=True))
    assert "2 essais, le plus récent en premier." in path
    assert path.index("Terminé sans « Montrez-moi ».") < path.index(
        "Pas terminé : arrêté à l'écran « Payer la facture »."
    )
    binta = text(client.get(f"/animation/participants/{group['Binta']}/exercices/{SCENARIO}").get_data(as_text=True))
    assert "Terminé, avec « Montrez-moi » 2 fois." in binta
    assert "1 Mes messages erreur : a touché « colis-faux », qui mène à un piège" in binta
    assert "2 Un faux message bonne action : a touché « Revenir »" in binta
    html = client.get(f"/animation/participants/{group['Eva']}").get_data(as_text=True)
    runs = html.split('id="exercices"', 1)[1].split("<h2", 1)[0]
    assert runs.count(f'href="/animation/participants/{group["Eva"]}/exercices/{SCENARIO}">Payer une facture</a>') == 2
    assert "terminé sans « Montrez-moi »" in runs and "pas terminé : arrêté à l'écran « Payer la facture »" in runs
    dina = client.get(f"/animation/participants/{group['Dina']}").get_data(as_text=True)
    assert "Aucun exercice pratique commencé pour le moment." in dina


def test_another_facilitator_a_participant_and_an_unknown_scenario_are_refused(app, client, group):
    scenario_page = f"/animation/groupes/{group['id']}/exercices/{SCENARIO}"
    path_page = f"/animation/participants/{group['Awa']}/exercices/{SCENARIO}"
    login(client, "animatrice", "animatrice-demo")  # Groupe démo's facilitator
    assert client.get(scenario_page).status_code == 404 and client.get(path_page).status_code == 404
    assert client.get("/animation/groupes/1/exercices/exercice-inconnu").status_code == 404
    assert client.get(f"/animation/groupes/1/exercices/{SCENARIO}").status_code == 200
    client.post(
        "/deconnexion",
        data={
            "csrf_token": re.search(
                r'name="csrf_token" value="([^"]+)"', client.get("/animation/").get_data(as_text=True)
            ).group(1)
        },
    )
    login(client, "awa")
    assert client.get(scenario_page).status_code == 403 and client.get(path_page).status_code == 403


def test_the_group_page_reads_the_exercises_in_one_statement_whatever_the_group(app, client):
    with app.app_context():
        scenario = get_library().scenario(SCENARIO)
        sizes = {}
        for size in (2, 12):
            group_id = make_group(f"Groupe de {size}", facilitators=["bruno"])
            for n in range(size):
                learner = make_learner(f"g{size}-{n}", group_id, f"Personne {n}")
                exercise(learner, scenario, RIGHT_PATH if n % 2 else ["Ma Banque", SHOW], utcnow() - timedelta(hours=1))
            sizes[size] = group_id
        engine = db.engine
    login(client, "bruno")
    counts = {}
    for size, group_id in sizes.items():
        client.get(f"/animation/groupes/{group_id}")  # warm the template cache
        with StatementCounter(engine) as counter:
            html = client.get(f"/animation/groupes/{group_id}").get_data(as_text=True)
        assert html.count('title="Terminé sans « Montrez-moi »">S</abbr>') == size // 2
        assert html.count('title="Commencé, pas terminé">C</abbr>') == size // 2
        counts[size] = counter.count
    # test_facilitate_group_view's 12, the exercises' one and the ladder's two (this library has procedures).
    assert counts[2] == counts[12] <= 15, counts


def test_the_impact_report_counts_exercises_finished_in_the_period(app, client):
    with app.app_context():
        scenario = get_library().scenario(SCENARIO)
        group_id = make_group("Groupe Bilan", facilitators=["bruno"])
        other = make_group("Autre groupe", facilitators=["claire"])
        ana, ben, cara, dan, eve = (make_learner(n, group_id) for n in ("ana", "ben", "cara", "dan", "eve"))
        fred = make_learner("fred", other)
        exercise(ana, scenario, RIGHT_PATH, datetime(2026, 3, 2, 10))  # alone, in the period
        exercise(ana, scenario, ["Ma Banque", SHOW, "Payer la facture", "Payer", "Confirmer"], datetime(2026, 3, 5, 10))
        exercise(ben, scenario, ["Ma Banque"], datetime(2026, 3, 6, 10))  # not finished
        # Finished 2 minutes after the start: Sunday 23:52 in Paris, in the period; then Monday 16 March, after it.
        exercise(ben, scenario, RIGHT_PATH, datetime(2026, 3, 15, 22, 50))
        exercise(ben, scenario, RIGHT_PATH, datetime(2026, 3, 15, 22, 59))
        exercise(cara, scenario, RIGHT_PATH, datetime(2026, 3, 3, 10))
        exercise(dan, scenario, ["Ma Banque", SHOW, "Payer la facture", "Payer", "Confirmer"], datetime(2026, 3, 9, 10))
        exercise(eve, scenario, ["Ma Banque", "Payer la facture", "Payer"], datetime(2026, 3, 9, 10))  # not finished
        exercise(fred, scenario, RIGHT_PATH, datetime(2026, 3, 4, 10))  # another group
    login(client, "bruno")
    query = {"start": "2026-03-02", "end": "2026-03-15", "groups": str(group_id)}

    def figures() -> dict[str, str]:
        csv_text = client.get("/animation/rapport.csv", query_string=query).get_data(as_text=True).lstrip("\ufeff")
        return {row[1]: row[4] for row in csv.reader(io.StringIO(csv_text), delimiter=";") if row[0] == "Exercices pratiques"}

    # By hand: finished in the period ana 2, ben 1, cara 1, dan 1 = 5 runs by 4 people; alone ana, ben, cara = 3.
    below = "moins de 5"
    assert figures() == {
        "Exercices pratiques terminés": below, "Exercices terminés sans « Montrez-moi »": below,
        "Participants ayant terminé un exercice": below,
    }
    with app.app_context():
        exercise(eve, scenario, RIGHT_PATH, datetime(2026, 3, 10, 10))  # eve finishes alone: 5 people, 4 alone
    assert figures() == {
        "Exercices pratiques terminés": "6", "Exercices terminés sans « Montrez-moi »": below,
        "Participants ayant terminé un exercice": "5",
    }
    page = text(client.get("/animation/rapport", query_string=query).get_data(as_text=True))
    section = page.split("Exercices pratiques", 1)[1]
    assert "Exercices pratiques terminés 6" in section and "Participants ayant terminé un exercice 5" in section


def test_my_data_holds_her_exercise_runs_and_steps(app, client, auth):
    with app.app_context():
        amina = db.session.scalar(db.select(User.id).filter_by(username="amina"))
        exercise(amina, get_library().scenario(SCENARIO), ["Aide", "Ma Banque", SHOW], utcnow() - timedelta(minutes=5))
    auth.login()
    page = text(client.get("/mes-donnees").get_data(as_text=True))
    assert "Mes exercices pratiques" in page and "Payer une facture" in page and "Pas terminé." in page
    assert "3 étapes." in page and "Vous avez demandé « Montrez-moi » 1 fois." in page
    data = json.loads(client.get("/mes-donnees/mes-donnees.json").get_data(as_text=True))
    [run] = data["exercices"]
    assert (run["exercice"], run["terminé le"], run["étapes"], run["« Montrez-moi »"], run["indices"]) == (
        "Payer une facture",
        "",
        3,
        1,
        1,
    )
    assert {s["essai commencé le"] for s in data["étapes d'exercice"]} == {run["commencé le"]}
    assert [(s["étape"], s["écran"], s["action"], s["résultat"]) for s in data["étapes d'exercice"]] == [
        (1, "Mes messages", "Aide", "erreur"),
        (2, "Mes messages", "Ma Banque", "bonne action"),
        (3, "Message de Ma Banque", "Payer la facture", "« Montrez-moi »"),
    ]
    rows = client.get("/mes-donnees/mes-donnees.csv").get_data(as_text=True)
    assert "étapes d'exercice;3;résultat;« Montrez-moi »" in rows


def test_anonymising_keeps_the_runs_and_deleting_removes_them(app):
    with app.app_context():
        scenario = get_library().scenario(SCENARIO)
        group_id = make_group("Groupe RGPD")
        kept, gone = make_learner("kept", group_id), make_learner("gone", group_id)
        for learner in (kept, gone):
            exercise(learner, scenario, RIGHT_PATH, utcnow() - timedelta(hours=1))
        privacy.anonymise(db.session.get(User, kept))
        privacy.delete_learner(db.session.get(User, gone))

        def runs_and_steps(user_id):
            runs = db.session.scalar(db.select(db.func.count()).select_from(ScenarioRun).filter_by(user_id=user_id))
            steps = db.session.scalar(
                db.select(db.func.count())
                .select_from(ScenarioStep)
                .join(ScenarioRun)
                .where(ScenarioRun.user_id == user_id)
            )
            return runs, steps

        assert runs_and_steps(kept) == (1, 4)  # still in the figures
        assert runs_and_steps(gone) == (0, 0)


def test_a_learner_who_only_practises_is_not_purged_as_inactive(app):
    with app.app_context():
        group_id = make_group("Groupe Purge")
        long_ago = utcnow() - timedelta(days=400)
        learner = make_learner("exercices", group_id, created_at=long_ago)
        exercise(learner, get_library().scenario(SCENARIO), ["Ma Banque"], utcnow() - timedelta(days=2))
        report = privacy.purge_inactive(12)
        assert not [label for label in report.anonymised if "exercices" in label]


def test_a_run_of_an_older_version_is_shown_without_the_hints_of_today(app, client):
    with app.app_context():
        scenario = get_library().scenario(SCENARIO)
        older = dataclasses.replace(scenario, version="0123456789ab")  # the file as it was then
        group_id = make_group("Groupe Versions", facilitators=["bruno"])
        learner = make_learner("fatou", group_id, "Fatou")
        exercise(learner, older, ["Aide", SHOW], utcnow() - timedelta(hours=1))
    login(client, "bruno")
    page = text(client.get(f"/animation/participants/{learner}/exercices/{SCENARIO}").get_data(as_text=True))
    assert "L'exercice a changé depuis cet essai : les indices ne sont pas affichés." in page
    assert "1 Mes messages erreur : a touché « Aide » – " in page  # no hint of today's version
    assert "2 Mes messages a demandé « Montrez-moi » on lui a montré : « Ma Banque »" in page  # kept with the step


def test_a_learner_who_only_practises_is_not_shown_as_inactive(app, client):
    now = utcnow()
    with app.app_context():
        group_id = make_group("Groupe Actif", facilitators=["bruno"])
        practising = make_learner("nadia", group_id, "Nadia", created_at=now - timedelta(days=30))
        make_learner("rose", group_id, "Rose", created_at=now - timedelta(days=30))
        exercise(practising, get_library().scenario(SCENARIO), ["Ma Banque"], now - timedelta(days=2))
    login(client, "bruno")
    html = client.get(f"/animation/groupes/{group_id}").get_data(as_text=True)
    needs = html.split('id="besoin"', 1)[1].split('id="tableau"', 1)[0]
    assert ">Rose</a>" in needs and "Plus rien depuis le" in needs
    assert ">Nadia</a>" not in needs
