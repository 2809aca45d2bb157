"""A workshop of twelve recorded on a 360 px phone (taps and time measured), then the report
funders read printed on A4 with the association's name."""

from __future__ import annotations

import time

import pytest

from tests.tools.screenshots import pdf_pages

from . import test_facilitator
from .conftest import VIEWPORTS, sign_in
from .test_accessibility import violations

# The facilitator tests' fixture: a group of twelve, the association named.
workshop = test_facilitator.workshop

FACILITATOR = {"username": "animatrice", "password": "animatrice-demo"}
ASSOCIATION = "Association Numérique pour tous des Ulis"  # as the fixture sets it


@pytest.fixture
def phone(browser, workshop):
    context = browser.new_context(**VIEWPORTS["phone"], base_url=workshop["url"], locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, FACILITATOR)
    yield page
    context.close()


def test_twelve_people_ticked_and_saved_on_a_phone_in_under_a_minute(phone, workshop):
    page = phone
    page.goto(f"/animation/groupes/{workshop['group']}")
    taps = 0
    started = time.monotonic()
    page.get_by_role("link", name="Noter un atelier").first.tap()
    taps += 1
    page.wait_for_url("**/ateliers/nouveau")
    boxes = page.locator(".attendees li label")
    assert boxes.count() == 12 and page.locator(".attendees input:checked").count() == 0
    for index in range(12):
        box = boxes.nth(index).bounding_box()
        assert box["height"] >= 44, box  # a finger's target, the whole line
        boxes.nth(index).tap()
        taps += 1
    page.get_by_label("3\u00a0h", exact=True).tap()
    taps += 1
    page.get_by_role("button", name="Enregistrer l'atelier").tap()
    taps += 1
    page.wait_for_url("**/ateliers")
    elapsed = time.monotonic() - started
    assert "12 présents" in page.locator(".flash, .flashes").first.inner_text()
    assert "3\u00a0h · 12 présents" in page.locator(".workshop").first.inner_text()  # the list, from the database
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    print(f"\nworkshop of 12 at 360 px: {taps} taps, {elapsed:.1f} s of browser time (page loads included)")
    assert taps == 15 and elapsed < 60
    # The list, the form with a mistake shown, and the report: no axe violation at 360 px.
    report = {"ateliers": violations(page)}
    page.locator(".workshop a").first.tap()
    page.wait_for_load_state()
    for index in range(12):
        page.locator(".attendees li label").nth(index).tap()  # everyone unticked: refused
    page.get_by_role("button", name="Enregistrer l'atelier").tap()
    page.get_by_text("Cochez les personnes venues à l'atelier.").wait_for()
    report["atelier refusé"] = violations(page)
    page.goto("/animation/rapport")
    report["bilan"] = violations(page)
    assert {name: found for name, found in report.items() if found} == {}


def test_the_report_prints_on_a4_with_the_association_name(browser, workshop):
    context = browser.new_context(**VIEWPORTS["laptop"], base_url=workshop["url"], locale="fr-FR")
    page = context.new_page()
    sign_in(page, FACILITATOR)
    page.goto("/animation/rapport")
    page.emulate_media(media="print")
    assert page.locator(".impact-association").inner_text() == ASSOCIATION
    assert not page.locator(".impact-form").is_visible()
    for title in ("Participants et groupes", "Ateliers", "Leçons et modules"):
        assert page.get_by_role("heading", name=title, exact=True).is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    drawn = pdf_pages(pdf)
    print(f"\nimpact report on A4: {len(drawn)} pages, {len(pdf)} bytes")
    assert drawn and 0 not in drawn, drawn
    # No cell wider than the A4 page (210 mm less 2 × 10 mm margins, at 96 px per inch).
    page.set_viewport_size({"width": round(190 / 25.4 * 96), "height": 1000})
    assert page.evaluate("document.documentElement.scrollWidth") <= round(190 / 25.4 * 96) + 1
    context.close()
