"""Offline: a lesson opened before reloads without a connection; its quiz answered offline is sent once."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import attempts_of, sign_in
from .helpers import FIRST, choose, right_answers


def test_lesson_and_quiz_work_offline_and_answers_are_sent_once(open_context, live_app, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST.title)
    expect(page.get_by_text("Pas de connexion. Les pages déjà ouvertes restent lisibles.")).to_be_visible()

    choose(page, right_answers())
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Vos réponses sont gardées sur ce téléphone")).to_be_visible()
    assert attempts_of(live_app, learner["id"]) == 0

    context.set_offline(False)
    expect(page.get_by_text("Vos réponses au quiz ont été envoyées.")).to_be_visible()
    page.get_by_role("link", name="Voir le résultat").click()
    expect(page.get_by_text("3 bonnes réponses sur 3", exact=True)).to_be_visible()
    assert attempts_of(live_app, learner["id"]) == 1

    # Later pages find nothing left to send: the attempt stays stored once.
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('pasapas-quiz-queue-'))"
                         ".map((key) => localStorage.getItem(key))") == ["{}"]
    assert attempts_of(live_app, learner["id"]) == 1


def test_a_page_never_opened_shows_the_offline_page(open_context, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.goto("/modules/demo-suite")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de connexion")


def test_signing_out_forgets_the_pages_kept_on_the_phone(open_context, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté")).to_be_visible()
    context.set_offline(True)
    page.goto(f"/lecons/{FIRST.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de connexion")


def test_facilitator_pages_are_never_kept_on_the_device(open_context):
    context, page = open_context("laptop")
    sign_in(page, {"username": "animatrice", "password": "animatrice-demo"})
    page.goto("/animation/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.goto("/accessibilite")
    page.wait_for_load_state("networkidle")
    kept = page.evaluate(
        "caches.open('pasapas-pages').then((cache) => cache.keys()).then((keys) => keys.map((key) => key.url))"
    )
    assert [url for url in kept if "/accessibilite" in url]
    assert not [url for url in kept if "/animation" in url or "/connexion" in url]
