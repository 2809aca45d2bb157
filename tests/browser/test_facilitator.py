"""The facilitator's screens in a real browser: a workshop of twelve on a 36-lesson library, the
grid at 1,280 px and on paper, the sign-in cards on paper, the confirmations, and axe."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.cli import create_demo_accounts
from app.extensions import db
from config import TestingConfig
from tests.facilitate_helpers import write_lessons
from tests.tools.demo_site import seed_workshop

from .conftest import VIEWPORTS, sign_in
from .test_accessibility import violations

FACILITATOR = {"username": "animatrice", "password": "animatrice-demo"}
# A4 minus the print margins, in CSS pixels (96 per inch): what a printed page holds.
A4_PORTRAIT_WIDTH = round((210 - 20) / 25.4 * 96)
A4_LANDSCAPE_WIDTH = round((297 - 16) / 25.4 * 96)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workshop")
    config = TestingConfig()
    config.LESSONS_DIR = write_lessons(folder / "lessons", modules=4, per_module=9)  # 36 lessons, like the real library
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'workshop.sqlite'}"
    config.RATELIMIT_ENABLED = False
    config.ASSOCIATION_NAME = "Association Numérique pour tous des Ulis"
    config.ASSOCIATION_PHONE = "01 69 00 00 00"
    app = create_app(config)
    with app.app_context():
        db.create_all()
        create_demo_accounts()
    group_id = seed_workshop(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "group": group_id}
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def facilitator_page(browser, workshop):
    contexts = []

    def open_(size="laptop", **extra):
        context = browser.new_context(**{**VIEWPORTS[size], **extra}, base_url=workshop["url"], locale="fr-FR")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, FACILITATOR)
        return page

    yield open_
    for context in contexts:
        context.close()


def test_the_group_page_does_not_scroll_sideways_at_1280_px(facilitator_page, workshop):
    page = facilitator_page("laptop")
    page.goto(f"/animation/groupes/{workshop['group']}")
    assert page.locator(".grid-lesson").count() == 36
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    # The grid scrolls inside its own frame instead.
    assert page.evaluate("(() => { const w = document.querySelector('.grid-wrap'); return w.scrollWidth > w.clientWidth; })()")


def test_the_printed_grid_shows_all_36_lessons(facilitator_page, workshop, tmp_path):
    page = facilitator_page("laptop", viewport={"width": A4_LANDSCAPE_WIDTH, "height": 700})
    page.goto(f"/animation/groupes/{workshop['group']}")
    page.emulate_media(media="print")
    edges = page.eval_on_selector_all(".grid-lesson", "cells => cells.map(cell => cell.getBoundingClientRect().right)")
    assert len(edges) == 36 and max(edges) <= A4_LANDSCAPE_WIDTH
    assert page.locator(".needs").is_hidden() and page.locator(".grid").is_visible()
    assert page.pdf(path=tmp_path / "grille.pdf", prefer_css_page_size=True).startswith(b"%PDF")


def test_cards_ask_first_then_print_whole_on_paper(facilitator_page, workshop):
    page = facilitator_page("laptop")
    page.goto(f"/animation/groupes/{workshop['group']}/cartes")
    boxes = page.locator("input[name=learners]")
    assert boxes.count() == 12 and page.locator("input[name=learners]:checked").count() == 0
    assert page.locator("input[name=passwords][value=keep]").is_checked()
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.locator("input[name=passwords][value=new]").check()
    page.get_by_role("button", name="Préparer les cartes").click()
    # Nothing is changed yet: the page says how many people, and asks.
    page.get_by_role("heading", name="Imprimer 12 cartes ?").wait_for()
    assert page.get_by_text("Cela concerne 12 personnes").is_visible()
    page.get_by_role("button", name="Confirmer et préparer les cartes").click()
    page.locator(".signin-card").first.wait_for()
    assert page.locator(".signin-card").count() == 12

    page.set_viewport_size({"width": A4_PORTRAIT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    cards = page.eval_on_selector_all(".signin-card", """cards => cards.map(card => ({
        clipped: card.scrollHeight > card.clientHeight + 1 || card.scrollWidth > card.clientWidth + 1,
        right: card.getBoundingClientRect().right,
        text: card.innerText,
        splitWords: [...card.querySelectorAll('.password-word, .signin-address, .signin-code')]
            .filter(word => word.getClientRects().length > 1 && !word.querySelector('.password-word')).length,
    }))""")
    assert len(cards) == 12
    for card in cards:
        assert not card["clipped"] and card["right"] <= A4_PORTRAIT_WIDTH and card["splitWords"] == 0, card
        assert "127.0.0.1:" in card["text"] and "01 69 00 00 00" in card["text"]
        assert "Association Numérique pour tous des Ulis" in card["text"]
    # Every password word is whole on its line.
    words = page.eval_on_selector_all(".password-word", "words => words.map(word => word.getClientRects().length)")
    assert words and set(words) == {1}


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_the_facilitator_screens_have_no_axe_violation(facilitator_page, workshop, viewport):
    page = facilitator_page(viewport)
    group = workshop["group"]
    report = {}
    for name, url in (
        ("accueil", "/animation/"), ("groupe", f"/animation/groupes/{group}"), ("cartes", f"/animation/groupes/{group}/cartes"),
        ("bilan", "/animation/rapport"),
    ):
        page.goto(url)
        report[name] = violations(page)
    page.goto("/animation/")
    page.locator(".need .learner-name a").first.click()
    page.wait_for_load_state()
    report["fiche"] = violations(page)
    page.get_by_role("button", name="Désactiver le compte").click()
    page.get_by_text("Rien n'est changé tant que vous n'avez pas confirmé.").wait_for()
    report["confirmation"] = violations(page)
    page.go_back()
    page.get_by_role("link", name="Attestation de suivi").click()
    page.wait_for_load_state()
    report["attestation"] = violations(page)
    assert {name: found for name, found in report.items() if found} == {}
    if viewport == "phone":
        page.goto(f"/animation/groupes/{group}")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


def test_call_back_from_the_group_page_without_javascript(browser, workshop):
    context = browser.new_context(**VIEWPORTS["laptop"], base_url=workshop["url"], locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, FACILITATOR)
    page.goto(f"/animation/groupes/{workshop['group']}")
    first = page.locator(".need").first
    name = first.locator(".learner-name a").inner_text()
    first.locator("summary").click()
    first.get_by_label("Note (facultatif)").fill("Rappelée, tout va bien.")
    first.get_by_role("button", name="Enregistrer l'appel").click()
    page.get_by_text(f"vous avez rappelé {name}").wait_for()
    assert page.url.endswith(f"/animation/groupes/{workshop['group']}")
    context.close()


def test_the_printed_report_has_no_blank_page_and_no_cut_figure(facilitator_page):
    from tests.tools.screenshots import pdf_pages

    page = facilitator_page("laptop", viewport={"width": A4_PORTRAIT_WIDTH, "height": 1000})
    page.goto("/animation/rapport")
    page.emulate_media(media="print")
    drawn = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert drawn and 0 not in drawn, drawn
    cut = page.evaluate("""() => {
      const cut = [];
      for (const chart of document.querySelectorAll('svg.chart')) {
        const frame = chart.getBoundingClientRect();
        for (const text of chart.querySelectorAll('text')) {
          const box = text.getBoundingClientRect();
          if (box.left < frame.left - 1 || box.right > frame.right + 1) cut.push(text.textContent);
        }
      }
      for (const figure of document.querySelectorAll('.impact-table td')) {
        if (figure.scrollWidth > figure.clientWidth + 1) cut.push(figure.textContent);
      }
      return cut;
    }""")
    assert cut == []
