"""Read aloud: French speech, one block at a time with the block highlighted, pause and stop.

Headless chromium has no voice, so the browser's speechSynthesis is replaced by a recorder that
the test drives: it checks what app.js asks the browser to say, and in which language.
"""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import sign_in
from .helpers import FIRST

FAKE_SPEECH = """
window.spoken = [];
window.speechCalls = [];
const fake = {
  speak(utterance) { window.spoken.push(utterance); },
  cancel() { window.speechCalls.push("cancel"); window.spoken.length = 0; },
  pause() { window.speechCalls.push("pause"); },
  resume() { window.speechCalls.push("resume"); },
  getVoices() { return [{ lang: "fr-FR", name: "Française" }]; },
  speaking: true,
};
Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
"""

NO_SPEECH = """
delete Window.prototype.speechSynthesis;
Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
"""


def test_a_lesson_is_read_aloud_block_by_block(open_context, learner):
    context, page = open_context("phone")
    context.add_init_script(FAKE_SPEECH)
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    lesson = page.locator("article.lesson")

    lesson.get_by_role("button", name="Écouter").click()
    assert page.evaluate("window.spoken.map((u) => [u.text, u.lang])") == [[FIRST.title, "fr-FR"]]
    expect(lesson.get_by_role("heading", level=1)).to_have_class("reading")
    expect(lesson.get_by_role("button", name="Pause")).to_be_focused()

    page.evaluate("window.spoken.shift().onend()")  # the title is said: on to the next block
    next_text = page.evaluate("window.spoken[0].text")
    assert next_text.startswith("Dans cette leçon")  # the objectives; the duration line is skipped
    expect(lesson.get_by_role("heading", level=1)).not_to_have_class("reading")
    expect(page.locator(".reading")).to_have_count(1)

    lesson.get_by_role("button", name="Pause").click()
    expect(lesson.get_by_role("button", name="Reprendre")).to_be_visible()
    lesson.get_by_role("button", name="Reprendre").click()
    lesson.get_by_role("button", name="Arrêter").click()
    assert page.evaluate("window.speechCalls") == ["pause", "resume", "cancel"]
    expect(page.locator(".reading")).to_have_count(0)
    expect(lesson.get_by_role("button", name="Écouter")).to_be_focused()

    # Each quiz question has its own button: the question, then its choices.
    page.locator("#q3").get_by_role("button", name="Écouter").click()
    spoken = page.evaluate("window.spoken[0].text")
    assert spoken.startswith("Question 3") and "Vos progrès sont perdus" in spoken


def test_no_listen_button_where_the_browser_cannot_speak(open_context, learner):
    context, page = open_context("phone")
    context.add_init_script(NO_SPEECH)
    sign_in(page, learner)
    page.goto(f"/lecons/{FIRST.id}")
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)
    expect(page.locator("[data-read-aloud-slot]")).to_have_count(0)
