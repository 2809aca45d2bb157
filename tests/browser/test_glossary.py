"""A glossary word: its definition opens in place with JavaScript, is read aloud with the text,
and without JavaScript the word leads to its place on the glossary page."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import sign_in
from .test_read_aloud import FAKE_SPEECH

LESSON = "/lecons/demo-bonus"  # its first question links to « cadenas »


def test_a_glossary_word_opens_its_definition_in_place_with_the_keyboard_and_is_read_aloud(open_context, learner):
    context, page = open_context("phone")
    context.add_init_script(FAKE_SPEECH)
    sign_in(page, learner)
    page.goto(LESSON)
    word = page.get_by_role("link", name="cadenas")
    definition = page.locator(".glossary-definition")
    expect(definition).to_be_hidden()
    expect(word).to_have_attribute("aria-expanded", "false")

    word.focus()
    page.keyboard.press("Enter")
    expect(definition).to_be_visible()
    expect(definition).to_have_text("Le petit dessin de serrure à côté de l'adresse d'un site.")
    expect(word).to_have_attribute("aria-expanded", "true")
    assert page.url.endswith(LESSON)  # it stayed on the lesson

    page.locator("#q1").get_by_role("button", name="Écouter").click()
    spoken = page.evaluate("window.spoken[0].text")
    assert "Le cadenas" in spoken and "Le petit dessin de serrure" in spoken

    page.keyboard.press("Escape")
    word.click()
    expect(definition).to_be_hidden()
    expect(word).to_have_attribute("aria-expanded", "false")


def test_without_javascript_a_glossary_word_leads_to_its_definition_on_the_glossary_page(open_context, learner):
    context, page = open_context("phone", javascript=False)
    sign_in(page, learner)
    page.goto(LESSON)
    page.get_by_role("link", name="cadenas").click()
    page.wait_for_load_state()
    assert page.url.endswith("/glossaire#cadenas")
    entry = page.locator("#cadenas")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Le petit dessin de serrure à côté de l'adresse d'un site.")
    expect(entry).to_be_in_viewport()
