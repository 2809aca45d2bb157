"""A facilitator sees only their groups: any other group's pages answer 404; admin sees all."""

from __future__ import annotations

import pytest

from app import progress
from app.extensions import db
from tests.facilitate_helpers import login, make_group, make_learner, token_from, user_id


@pytest.fixture
def two_groups(app):
    """Groupe démo (animatrice: amina, josiane) and Groupe Massy (bruno: karim)."""
    with app.app_context():
        massy = make_group("Groupe Massy", facilitators=["bruno"])
        karim = make_learner("karim", massy)
        amina = user_id("amina")
        progress.request_help(karim, "demo-premiers-pas", "Je ne trouve pas le bouton.")
        db.session.remove()
    return {"massy": massy, "karim": karim, "amina": amina, "demo": 1}


def other_group_urls(ids) -> list[tuple[str, str]]:
    g, k = ids["massy"], ids["karim"]
    return [
        ("GET", f"/animation/groupes/{g}"),
        ("GET", f"/animation/groupes/{g}/lecons/demo-premiers-pas"),
        ("GET", f"/animation/groupes/{g}/export.csv"),
        ("GET", f"/animation/groupes/{g}/cartes"),
        ("POST", f"/animation/groupes/{g}/cartes"),
        ("GET", f"/animation/groupes/{g}/import"),
        ("GET", f"/animation/groupes/{g}/participants/nouveau"),
        ("GET", f"/animation/participants/{k}"),
        ("GET", f"/animation/participants/{k}/attestation"),
        ("POST", f"/animation/participants/{k}/mot-de-passe"),
        ("POST", f"/animation/participants/{k}/statut"),
        ("POST", f"/animation/participants/{k}/carte/revoquer"),
        ("POST", f"/animation/participants/{k}/rappel"),
        ("GET", f"/animation/groupes/{g}/participants.csv"),
    ]


def test_a_facilitator_gets_404_for_every_page_of_another_group(app, client, two_groups):
    login(client, "animatrice", "animatrice-demo")
    token = token_from(client, "/animation/")
    for method, url in other_group_urls(two_groups):
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 404, (method, url, response.status_code)
    # Nothing of the other group leaks on the pages that list things.
    home = client.get("/animation/").get_data(as_text=True)
    assert "Groupe Massy" not in home and "Karim" not in home and "Je ne trouve pas le bouton" not in home
    report = client.get(f"/animation/rapport?start=2026-01-01&end=2026-12-31&groups={two_groups['massy']}")
    assert report.status_code == 422  # not a group she may choose
    # Her own group answers.
    assert client.get("/animation/groupes/1").status_code == 200
    assert client.get(f"/animation/participants/{two_groups['amina']}").status_code == 200


def test_the_other_facilitator_sees_his_group_and_not_hers(app, client, two_groups):
    login(client, "bruno")
    assert client.get(f"/animation/groupes/{two_groups['massy']}").status_code == 200
    assert "Je ne trouve pas le bouton" in client.get("/animation/").get_data(as_text=True)
    assert client.get("/animation/groupes/1").status_code == 404
    assert client.get(f"/animation/participants/{two_groups['amina']}").status_code == 404
    assert client.get("/animation/groupes/1/export.csv").status_code == 404
    assert client.get("/animation/admin").status_code == 403


def test_admin_sees_every_group(app, client, two_groups):
    login(client, "admin", "admin-demo")
    for method, url in other_group_urls(two_groups):
        if method == "GET":
            assert client.get(url).status_code == 200, url
    assert client.get("/animation/groupes/1").status_code == 200
    home = client.get("/animation/").get_data(as_text=True)
    assert "Groupe Massy" in home and "Groupe démo" in home


def test_participants_are_refused_the_whole_facilitator_area(app, client, two_groups):
    login(client, "amina", "amina-demo")
    token = token_from(client)
    for method, url in [*other_group_urls(two_groups), ("GET", "/animation/groupes/1"), ("GET", "/animation/rapport")]:
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (method, url)
