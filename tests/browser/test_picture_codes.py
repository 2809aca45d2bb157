"""Picture codes in a real browser, on a 360 px phone: enrolling by the card, « Qui êtes-vous ? »,
three pictures tapped (with and without JavaScript, and with the keyboard), the lock after three
wrong codes, and axe with no violation on each of these pages."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.facilitate import accounts
from app.models import Role, User

from .conftest import sign_in
from .helpers import layout_problems
from .test_accessibility import violations
from .test_keyboard import tab_to

CODE = ["house", "sun", "bicycle"]
CODE_NAMES = ["Maison", "Soleil", "Vélo"]
_numbers = itertools.count(1)


def make_card(live_app) -> dict:
    """A participant of the demo group with a printed card and the picture code CODE."""
    number = next(_numbers)
    with live_app.app_context():
        person = User(username=f"fatou{number}", first_name=f"Fatou{number}", role=Role.PARTICIPANT, group_id=1)
        person.set_password("fatou-demo")
        db.session.add(person)
        db.session.commit()
        token = accounts.print_cards([person], new_passwords=False, actor=person)[0].token
        accounts.set_picture_code(person, CODE, actor=person)
        found = {"id": person.id, "first_name": person.first_name, "token": token}
        db.session.remove()
    return found


@pytest.fixture
def card(live_app):
    return make_card(live_app)


def enrol_and_sign_out(page, card) -> None:
    page.goto(f"/connexion/carte/{card['token']}")
    expect(page.get_by_text(f"Ce téléphone est à {card['first_name']} ?")).to_be_visible()
    page.get_by_role("button", name="Oui, c'est mon téléphone").click()
    expect(page.get_by_text("Ce téléphone est à vous")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Qui êtes-vous ?")).to_be_visible()


def check_page(page, name, report, javascript=True) -> None:
    """axe runs in the page (it needs JavaScript); the layout at 360 px is checked either way."""
    page.wait_for_load_state("networkidle")
    report[name] = (violations(page) if javascript else []) + layout_problems(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_enrol_then_sign_in_with_pictures_on_a_phone(open_context, card, javascript):
    _, page = open_context("phone", javascript=javascript)
    report = {}
    page.goto(f"/connexion/carte/{card['token']}")
    check_page(page, "card page", report, javascript)
    enrol_and_sign_out(page, card)
    expect(page.get_by_role("heading", name="Qui êtes-vous ?")).to_be_visible()
    check_page(page, "qui êtes-vous", report, javascript)
    page.get_by_role("link", name=card["first_name"]).click()
    expect(page.get_by_role("button", name="Maison")).to_be_visible()
    assert page.get_by_role("button").filter(has=page.locator("img.picture-img")).count() == 12
    check_page(page, "pictures", report, javascript)
    page.get_by_role("button", name="Lune").click()
    expect(page.get_by_text("Image 2 sur 3")).to_be_visible()
    page.get_by_role("button", name="Lune").click()
    page.get_by_role("button", name="Lune").click()
    expect(page.get_by_text("Il vous reste 2 essais")).to_be_visible()
    check_page(page, "pictures after a wrong code", report, javascript)
    for name in CODE_NAMES:
        page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator("body[data-learner]")).to_have_attribute("data-learner", str(card["id"]))
    page.goto("/mes-donnees")
    expect(page.get_by_text("Ce téléphone-ci.")).to_be_visible()
    check_page(page, "mes données with a phone", report, javascript)
    assert {name: found for name, found in report.items() if found} == {}


def test_three_wrong_codes_lock_the_phone_and_say_what_to_do(open_context, card):
    _, page = open_context("phone")
    enrol_and_sign_out(page, card)
    page.get_by_role("link", name=card["first_name"]).click()
    for _attempt in range(3):
        for _tap in range(3):
            page.get_by_role("button", name="Bateau").click()
    expect(page.get_by_text("Votre code en images est bloqué sur ce téléphone")).to_be_visible()
    expect(page.get_by_text("scannez votre carte avec ce téléphone")).to_be_visible()
    assert page.get_by_role("button", name="Maison").count() == 0
    report = {}
    check_page(page, "locked", report)
    _, staff = open_context("phone")
    sign_in(staff, {"username": "animatrice", "password": "animatrice-demo"})
    staff.goto(f"/animation/participants/{card['id']}")
    expect(staff.get_by_text("Code en images bloqué sur ce téléphone.")).to_be_visible()
    report["learner page with a locked phone"] = violations(staff)
    staff.get_by_role("button", name="Débloquer le code en images").click()
    expect(staff.get_by_text("peut de nouveau toucher son code en images")).to_be_visible()
    page.goto(page.url)  # a GET: reloading would send the last tap again
    for name in CODE_NAMES:
        page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator("body[data-learner]")).to_have_attribute("data-learner", str(card["id"]))
    assert {name: found for name, found in report.items() if found} == {}


def test_pictures_with_the_keyboard_only(open_context, card):
    _, page = open_context("phone")
    enrol_and_sign_out(page, card)
    tab_to(page, lambda focus: focus["text"] == card["first_name"])
    page.keyboard.press("Enter")
    expect(page.get_by_text("Image 1 sur 3")).to_be_visible()
    for step, picture in enumerate(CODE):
        tab_to(page, lambda focus, wanted=picture: focus["name"] == "picture" and focus["value"] == wanted)
        page.keyboard.press("Enter" if step % 2 == 0 else "Space")
        if step + 1 < len(CODE):
            expect(page.get_by_text(f"Image {step + 2} sur 3")).to_be_visible()
    expect(page.locator("body[data-learner]")).to_have_attribute("data-learner", str(card["id"]))


def test_two_people_on_one_family_phone(open_context, card, live_app):
    other = make_card(live_app)
    _, page = open_context("phone")
    enrol_and_sign_out(page, card)
    enrol_and_sign_out(page, other)
    expect(page.get_by_role("link", name=card["first_name"], exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=other["first_name"], exact=True)).to_be_visible()
    assert layout_problems(page) == []
    page.get_by_role("link", name=other["first_name"], exact=True).click()
    for name in CODE_NAMES:
        page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator("body[data-learner]")).to_have_attribute("data-learner", str(other["id"]))

