"""Offline: a lesson opened before reloads without a connection; its quiz answered offline is sent once."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import attempts_of, sign_in
from .helpers import FIRST, choose, eventually, kept_pages, right_answers, wait_until_kept


def open_and_keep(page, path: str) -> None:
    page.goto(path)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    wait_until_kept(page, path)


def test_lesson_and_quiz_work_offline_and_answers_are_sent_once(open_context, live_app, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    open_and_keep(page, f"/lecons/{FIRST.id}")

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
    open_and_keep(page, f"/lecons/{FIRST.id}")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté")).to_be_visible()
    assert not [path for pages in kept_pages(page).values() for path in pages if path.startswith("/lecons/")]
    context.set_offline(True)
    page.goto(f"/lecons/{FIRST.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de connexion")


def test_a_session_that_ends_otherwise_forgets_them_too_and_the_next_person_keeps_their_own(open_context, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    open_and_keep(page, f"/lecons/{FIRST.id}")
    (first_person,) = kept_pages(page)
    context.clear_cookies()  # the session ended without the sign-out button (expired, ended by the server)
    page.goto(f"/lecons/{FIRST.id}")
    expect(page.get_by_label("Identifiant")).to_be_visible()
    eventually(page, "async () => !(await caches.keys()).some((name) => name.startsWith('pasapas-pages-'))")

    sign_in(page, {"username": "josiane", "password": "josiane-demo"})
    open_and_keep(page, "/lecons/demo-sans-quiz")
    kept = kept_pages(page)
    assert list(kept) != [first_person] and len(kept) == 1
    assert f"/lecons/{FIRST.id}" not in next(iter(kept.values()))


def test_personal_data_pages_are_never_kept(open_context, learner):
    _context, page = open_context("phone")
    sign_in(page, learner)
    open_and_keep(page, "/parcours")
    page.goto("/mes-donnees")
    page.wait_for_load_state("networkidle")
    page.goto("/accessibilite")
    page.wait_for_load_state("networkidle")
    (pages,) = kept_pages(page).values()
    assert "/parcours" in pages and not [path for path in pages if path.startswith("/mes-donnees")]


def test_a_kept_lesson_shows_at_once_and_gets_the_form_token_of_the_new_session(open_context, live_app, learner):
    context, page = open_context("phone")
    sign_in(page, learner)  # « Rester connecté » is ticked: the session outlives the browser's
    open_and_keep(page, f"/lecons/{FIRST.id}")
    old_token = page.locator('.quiz-form input[name="csrf_token"]').input_value()
    # The browser closed and opened again: a new session, whose form token the kept copy does not carry.
    context.clear_cookies(name="session")
    page.goto("/accessibilite")
    page.add_init_script("document.addEventListener('DOMContentLoaded', () => {"
                         " window.firstToken = document.querySelector('.quiz-form input[name=csrf_token]')?.value; });")
    page.goto(f"/lecons/{FIRST.id}")
    assert page.evaluate("window.firstToken") == old_token  # the copy kept on the phone, shown at once
    expect(page.locator('.quiz-form input[name="csrf_token"]')).not_to_have_value(old_token)
    choose(page, right_answers())
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url("**/resultats/**")  # the lesson page itself says « Il faut 3 bonnes réponses sur 3 »
    expect(page.get_by_text("3 bonnes réponses sur 3", exact=True)).to_be_visible()
    assert attempts_of(live_app, learner["id"]) == 1


def test_facilitator_pages_are_never_kept_on_the_device(open_context):
    context, page = open_context("laptop")
    sign_in(page, {"username": "animatrice", "password": "animatrice-demo"})
    page.goto("/animation/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.goto("/accessibilite")
    page.wait_for_load_state("networkidle")
    (kept,) = kept_pages(page).values()
    assert "/accessibilite" in kept
    assert not [path for path in kept if path.startswith(("/animation", "/connexion"))]


def test_an_online_quiz_submission_is_sent_once(open_context, live_app, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    sent = []
    context.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    choose(page, right_answers())
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url("**/resultats/**")  # the lesson page itself says « Il faut 3 bonnes réponses sur 3 »
    expect(page.get_by_text("3 bonnes réponses sur 3", exact=True)).to_be_visible()
    assert sent == [f"{page.url.split('/lecons/')[0]}/lecons/{FIRST.id}/quiz"]
    assert attempts_of(live_app, learner["id"]) == 1


def test_a_new_version_of_the_app_deletes_the_files_the_old_one_kept(open_context, learner, monkeypatch):
    from app.pages import views

    _context, page = open_context("phone")
    sign_in(page, learner)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    static_caches = "async () => (await caches.keys()).filter((name) => name.startsWith('pasapas-static'))"
    eventually(page, f"async () => (await ({static_caches})()).length === 1")
    (old,) = page.evaluate(static_caches)
    monkeypatch.setattr(views, "SHELL_FILES", (*views.SHELL_FILES, "icons/icon-192.png"))  # a new version's shell
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    eventually(page, f"async () => {{ const names = await ({static_caches})(); return names.length === 1 && names[0] !== {old!r}; }}")
