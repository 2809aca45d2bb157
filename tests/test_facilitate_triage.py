"""« Qui a besoin de vous »: only those who need something, most urgent first, reasons in words, paged."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert, update

from app import progress
from app.extensions import db
from app.lesson_library import get_library
from app.models import SignInToken, User, utcnow
from app.rules import TRIAGE_PAGE_SIZE
from tests.facilitate_helpers import answer, login, make_group, make_learner, token_from, visit


def names_in_order(html: str) -> list[str]:
    needs = html.split('id="besoin"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<p class="learner-name"><a href="/animation/participants/\d+">([^<]+)</a>', needs)


def reasons_of(html: str, name: str) -> str:
    needs = html.split('id="besoin"', 1)[1]
    return needs.split(f">{name}</a>", 1)[1].split('class="call-back"', 1)[0]


def test_only_those_who_need_something_most_urgent_first_with_the_reason_in_words(app, client):
    now = utcnow()
    with app.app_context():
        lesson = get_library().lesson("demo-premiers-pas")
        group = make_group("Atelier du jeudi", facilitators=["animatrice"])
        old = now - timedelta(days=30)
        ids = {name: make_learner(name.lower(), group, name, created_at=old)
               for name in ("Zoé", "Yasmina", "Xavier", "Wassila", "Victor", "Ursule")}
        # Zoé asked for help this morning, Yasmina an hour ago: the one who waited longest first.
        progress.request_help(ids["Zoé"], lesson.id, "Je ne trouve pas le bouton.", at=now - timedelta(hours=5))
        progress.request_help(ids["Yasmina"], lesson.id, "", at=now - timedelta(hours=1))
        # Xavier's card was printed three days ago and he never signed in since.
        db.session.execute(insert(SignInToken).values(user_id=ids["Xavier"], token_hash="x" * 64, created_at=now - timedelta(days=3)))
        visit(ids["Xavier"], lesson.id, now - timedelta(days=1))
        # Wassila failed the quiz twice; Victor did nothing for 12 days; Ursule is doing well.
        visit(ids["Wassila"], lesson.id, now - timedelta(hours=3))
        answer(ids["Wassila"], lesson, now - timedelta(hours=3), right=False)
        answer(ids["Wassila"], lesson, now - timedelta(hours=2), right=False)
        visit(ids["Victor"], lesson.id, now - timedelta(days=12))
        visit(ids["Ursule"], lesson.id, now - timedelta(hours=2))
        answer(ids["Ursule"], lesson, now - timedelta(hours=1))
        db.session.execute(update(User).where(User.id == ids["Ursule"]).values(last_login_at=now))
        db.session.commit()
    login(client, "animatrice", "animatrice-demo")
    for url in ("/animation/", f"/animation/groupes/{group}"):
        html = client.get(url).get_data(as_text=True)
        assert names_in_order(html)[:5] == ["Zoé", "Yasmina", "Xavier", "Wassila", "Victor"], url
        assert "Ursule" not in html.split('id="besoin"', 1)[1].split("</ol>", 1)[0]
        assert "A demandé de l'aide le" in reasons_of(html, "Zoé") and "Je ne trouve pas le bouton." in reasons_of(html, "Zoé")
        assert "« Premiers pas »" in reasons_of(html, "Yasmina")
        assert "Aucune connexion depuis l'impression de sa carte" in reasons_of(html, "Xavier")
        assert "2 échecs au quiz de" in reasons_of(html, "Wassila") and "pas encore réussi" in reasons_of(html, "Wassila")
        assert "Plus rien depuis le" in reasons_of(html, "Victor") and "(12 jours)" in reasons_of(html, "Victor")
    # After « J'ai rappelé », Victor leaves the list; Zoé's help request is answered with the call.
    token = token_from(client, "/animation/")
    for name in ("Victor", "Zoé"):
        client.post(f"/animation/participants/{ids[name]}/rappel", data={"csrf_token": token, "note": "", "retour": "accueil"})
    html = client.get(f"/animation/groupes/{group}").get_data(as_text=True)
    assert names_in_order(html) == ["Yasmina", "Xavier", "Wassila"]
    # A new help request brings Zoé back at once, after Yasmina who has waited longer.
    with app.app_context():
        progress.request_help(ids["Zoé"], lesson.id, "Encore moi.")
    html = client.get(f"/animation/groupes/{group}").get_data(as_text=True)
    assert names_in_order(html)[:2] == ["Yasmina", "Zoé"] and "Encore moi." in reasons_of(html, "Zoé")


def test_the_home_list_is_paged(app, client):
    now = utcnow()
    count = TRIAGE_PAGE_SIZE + 5
    with app.app_context():
        lesson = get_library().lesson("demo-premiers-pas")
        group = make_group("Grand atelier", facilitators=["animatrice"])
        for number in range(count):
            learner = make_learner(f"personne{number:02d}", group, f"Personne {number:02d}")
            progress.request_help(learner, lesson.id, f"Message {number:02d}", at=now - timedelta(minutes=count - number))
    login(client, "animatrice", "animatrice-demo")
    first = client.get("/animation/").get_data(as_text=True)
    assert f"{count} personnes ont besoin de vous" in first  # the demo's own learners, new and fine, are not listed
    assert names_in_order(first) == [f"Personne {n:02d}" for n in range(TRIAGE_PAGE_SIZE)]
    assert "Page 1 sur 2" in first and 'href="/animation/?page=2"' in first and "Page précédente" not in first
    second = client.get("/animation/?page=2").get_data(as_text=True)
    assert names_in_order(second)[:5] == [f"Personne {n:02d}" for n in range(TRIAGE_PAGE_SIZE, count)]
    assert "Page 2 sur 2" in second and "Page suivante" not in second
    # A page out of range, or not a number, gives the nearest page, never an error.
    assert "Page 2 sur 2" in client.get("/animation/?page=99").get_data(as_text=True)
    assert "Page 1 sur 2" in client.get("/animation/?page=abc").get_data(as_text=True)
    assert len(first.encode()) < 200_000
