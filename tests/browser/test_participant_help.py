"""What a participant meets when stuck: missing answers, help (offline too), read aloud without a
French voice, text at its largest, confirmations, the password shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import HelpRequest, User

from .conftest import sign_in
from .helpers import FIRST, choose, layout_problems, right_answers

ENGLISH_VOICE_ONLY = """
window.spoken = [];
const fake = {
  speak(utterance) { window.spoken.push(utterance.text); },
  cancel() {}, pause() {}, resume() {},
  speaking: false,
  getVoices() { return [{ lang: "en-US", name: "English" }]; },
  addEventListener() {},
};
Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
"""


SILENT_FRENCH_VOICE = """
const silent = {
  speak() {}, cancel() {}, pause() {}, resume() {},
  speaking: false,
  getVoices() { return [{ lang: "fr-FR", name: "Française" }]; },
  addEventListener() {},
};
Object.defineProperty(window, "speechSynthesis", { value: silent, configurable: true });
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
"""


def help_requests(app, user_id):
    with app.app_context():
        rows = db.session.scalars(select(HelpRequest).filter_by(user_id=user_id)).all()
        found = [(row.lesson_id, row.message, row.phone, row.call_back_time) for row in rows]
        db.session.remove()
        return found


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_missing_answers_land_on_the_quiz_with_the_answers_kept(open_context, learner, javascript):
    _, page = open_context("phone", javascript=javascript)
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    choose(page, {"q1": right_answers()["q1"]})
    page.get_by_role("button", name="Envoyer mes réponses").click()
    missing = page.get_by_role("alert").filter(has_text="Il manque les questions 2 et 3.")
    expect(missing).to_be_visible()
    assert page.url.endswith("#quiz")
    expect(missing.get_by_role("link", name="2")).to_have_attribute("href", "#q2")
    expect(page.locator(f'input[name="q1"][value="{right_answers()["q1"][0]}"]')).to_be_checked()
    # Not at the top of a long lesson: the quiz is on screen.
    assert page.evaluate("window.scrollY") > 0
    if javascript:
        # Straight to the first missing question, ready to answer.
        expect(page.locator("#q2 input").first).to_be_focused()
        expect(page.locator("#q2")).to_be_in_viewport()
    else:
        expect(missing).to_be_in_viewport()
    missing.get_by_role("link", name="3").click()
    expect(page.locator("#q3")).to_be_in_viewport()


def test_help_asked_offline_is_kept_then_sent_once(open_context, live_app, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    page.get_by_role("link", name="J'ai besoin d'aide").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("J'ai besoin d'aide")
    page.wait_for_load_state("networkidle")

    context.set_offline(True)
    page.get_by_label("Votre message (facultatif)").fill("Je ne trouve pas le bouton.")
    page.get_by_label("Votre numéro de téléphone (facultatif)").fill("06 12 34 56 78")
    page.get_by_label("En fin de journée").check()
    page.get_by_role("button", name="Demander de l'aide").click()
    expect(page.get_by_text("Votre demande d'aide est gardée sur ce téléphone")).to_be_visible()
    assert help_requests(live_app, learner["id"]) == []

    context.set_offline(False)
    expect(page.get_by_text("Votre demande d'aide a été envoyée.")).to_be_visible()
    assert help_requests(live_app, learner["id"]) == [(FIRST.id, "Je ne trouve pas le bouton.", "06 12 34 56 78", "evening")]
    page.get_by_role("link", name="Revenir à la leçon").last.click()
    expect(page.get_by_text("Vous avez demandé de l'aide le").first).to_be_visible()

    # Nothing left to send; asked again from the lesson, it is the same request, updated.
    page.get_by_role("link", name="Changer ma demande d'aide").click()
    expect(page.get_by_label("Votre message (facultatif)")).to_have_value("Je ne trouve pas le bouton.")
    page.get_by_label("Votre message (facultatif)").fill("C'est bon pour le bouton, pas pour la question 3.")
    page.get_by_role("button", name="Demander de l'aide").click()
    expect(page.get_by_text("C'est envoyé.")).to_be_visible()
    found = help_requests(live_app, learner["id"])
    assert [message for _, message, _, _ in found] == ["C'est bon pour le bouton, pas pour la question 3."]


@pytest.mark.parametrize("path", ["/", f"/lecons/{FIRST.id}", "/modules/demo", f"/lecons/{FIRST.id}/aide"])
def test_without_a_french_voice_read_aloud_says_so_in_words(open_context, learner, path):
    context, page = open_context("phone")
    context.add_init_script(ENGLISH_VOICE_ONLY)
    sign_in(page, learner)
    page.goto(path)
    page.get_by_role("button", name="Écouter").first.click()
    problem = page.get_by_role("status").filter(has_text="Ce téléphone n'a pas de voix française")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("installez le français")
    assert page.evaluate("window.spoken") == []  # nothing said in an English voice
    expect(page.get_by_role("button", name="Écouter").first).to_be_visible()


def test_a_phone_that_never_starts_speaking_is_told_so(open_context, learner):
    context, page = open_context("phone")
    context.add_init_script(SILENT_FRENCH_VOICE)
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    page.locator("article.lesson").get_by_role("button", name="Écouter").click()
    expect(page.get_by_text("La lecture à voix haute ne marche pas sur ce téléphone")).to_be_visible(timeout=10_000)
    expect(page.locator("article.lesson").get_by_role("button", name="Écouter")).to_be_visible()


def test_the_header_stays_compact_at_the_largest_text_size(open_context, learner):
    _, page = open_context("phone")
    sign_in(page, learner)
    bigger = page.get_by_role("button", name="A+ plus grand")
    while bigger.is_enabled():
        bigger.click()
    assert page.evaluate("document.documentElement.dataset.textSize") == "3"
    expect(page.get_by_role("group", name="Taille du texte")).to_contain_text("Taille du texte")
    brand = page.locator(".brand").bounding_box()
    header = page.locator(".site-header").bounding_box()
    assert brand["height"] < 50  # « Pas à pas » on one line
    assert header["height"] < 0.2 * 740  # it took 43 % of the screen
    # Signing out is no longer beside « Accueil ».
    expect(page.get_by_role("navigation", name="Menu principal").get_by_role("button", name="Se déconnecter")).to_have_count(0)
    expect(page.get_by_role("contentinfo").get_by_role("button", name="Se déconnecter")).to_have_count(1)
    assert layout_problems(page) == []


def test_asking_for_deletion_is_confirmed_and_can_be_cancelled(open_context, live_app, learner):
    _, page = open_context("phone")
    sign_in(page, learner)
    page.goto("/mes-donnees")
    page.get_by_role("link", name="Demander la suppression").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte et mes données ?")
    page.get_by_role("link", name="Non, garder mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")

    def requested():
        with live_app.app_context():
            when = db.session.get(User, learner["id"]).deletion_requested_at
            db.session.remove()
            return when

    assert requested() is None
    page.get_by_role("link", name="Demander la suppression").click()
    page.get_by_role("button", name="Oui, demander la suppression").click()
    expect(page.get_by_text("Votre demande est enregistrée.")).to_be_visible()
    assert requested() is not None
    page.get_by_role("button", name="Annuler ma demande").click()
    expect(page.get_by_text("Votre demande de suppression est annulée.")).to_be_visible()
    assert requested() is None


def test_the_password_can_be_shown_while_typing_it(open_context):
    _, page = open_context("phone")
    page.goto("/connexion")
    expect(page.get_by_text("visez le carré noir et blanc de la carte")).to_be_visible()
    password = page.get_by_label("Mot de passe")
    password.fill("pomme-lapin-bougie-jardin-427")
    expect(password).to_have_attribute("type", "password")
    page.get_by_role("button", name="Voir le mot de passe").click()
    expect(password).to_have_attribute("type", "text")
    page.get_by_role("button", name="Cacher le mot de passe").click()
    expect(password).to_have_attribute("type", "password")


def test_without_javascript_no_dead_reveal_button(open_context):
    _, page = open_context("phone", javascript=False)
    page.goto("/connexion")
    expect(page.get_by_role("button", name="Voir le mot de passe")).to_have_count(0)


def test_lessons_kept_for_offline_reading_are_marked(open_context, learner):
    _, page = open_context("phone")
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    page.goto("/modules/demo")
    kept = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=FIRST.title))
    expect(kept.get_by_text("Lisible sans connexion")).to_be_visible()
    expect(page.get_by_text("Lisible sans connexion")).to_have_count(1)  # the lessons never opened are not


def test_search_on_home_finds_a_lesson_without_javascript(open_context, learner):
    _, page = open_context("phone", javascript=False)
    sign_in(page, learner)
    page.get_by_label("Chercher une leçon").fill("PREMIERS pas")
    page.get_by_role("button", name="Chercher").click()
    results = page.locator("#resultats")
    expect(results.get_by_role("link", name=FIRST.title)).to_be_visible()
    expect(results).to_contain_text("Leçon 1")
    # The whole module card opens the module, not only its title.
    page.goto("/")
    card = page.locator(".card").first
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 10, box["y"] + box["height"] - 10)
    page.wait_for_url("**/modules/**")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_new_pages_fit_a_phone_with_big_targets(open_context, learner, javascript):
    _, page = open_context("phone", javascript=javascript)
    sign_in(page, learner)
    for path in ("/?q=pas", f"/lecons/{FIRST.id}/aide", "/mes-donnees", "/mes-donnees/suppression", "/modules/demo"):
        page.goto(path)
        assert layout_problems(page) == [], path
