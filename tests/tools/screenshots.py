"""Screenshots of the main screens into docs/ (`make screenshots`): the participant's at 360 px (what
the README shows), the facilitator's at 360 and 1,280 px, and the printed sheets (cards, grid,
attestation, report) as PDF pages rendered by chromium's print layout."""

from __future__ import annotations

import contextlib
import re
import zlib
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.tools.demo_site import demo_site, seed_workshop, signed_in_visit

DOCS = Path(__file__).resolve().parents[2] / "docs"
VIEWPORTS = {
    "": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "is_mobile": True},
    "-1280": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
}


def shoot(page, name: str, suffix: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=DOCS / f"screen-{name}{suffix}.png")


def screens(page, context, visit, suffix: str) -> None:
    lesson, result = visit["lesson"], visit["result"]
    page.goto("/")
    shoot(page, "home", suffix)
    page.goto("/?q=mot+de+passe#resultats")
    shoot(page, "search", suffix)
    page.goto(visit["module"])
    shoot(page, "module", suffix)
    page.goto(lesson)
    shoot(page, "lesson", suffix)
    page.goto(lesson)
    page.locator("#quiz-title").evaluate("title => title.scrollIntoView()")
    shoot(page, "quiz", suffix)
    # Sent with one answer only: back at the quiz, the missing questions listed, the first one focused.
    page.locator("fieldset.question").first.locator("input").first.check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("alert").wait_for()
    page.get_by_role("alert").evaluate("alert => alert.scrollIntoView()")
    shoot(page, "quiz-missing", suffix)
    page.goto(result)
    shoot(page, "result", suffix)
    page.goto(result)
    page.locator("#answers-title").evaluate("title => title.scrollIntoView()")
    shoot(page, "result-answers", suffix)
    page.goto(f"{lesson}/aide")
    shoot(page, "help", suffix)
    # Headless chromium has no voice at all: « Écouter » says so, as on a phone without a French voice.
    page.get_by_role("button", name="Écouter").first.click()
    page.get_by_text("Ce téléphone n'a pas de voix française").wait_for()
    shoot(page, "no-voice", suffix)

    # Help asked without a connection: kept on the phone.
    page.goto(f"{lesson}/aide")
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    page.get_by_label("Votre message (facultatif)").fill("Je ne trouve pas le bouton pour envoyer.")
    page.get_by_label("L'après-midi").check()
    page.get_by_role("button", name="Demander de l'aide").click()
    page.get_by_text("Votre demande d'aide est gardée sur ce téléphone").evaluate("note => note.scrollIntoView({block: 'center'})")
    page.screenshot(path=DOCS / f"screen-help-offline{suffix}.png")  # offline: no network to wait for
    context.set_offline(False)
    page.get_by_text("Votre demande d'aide a été envoyée.").wait_for()
    page.goto(lesson)
    shoot(page, "lesson-help-asked", suffix)

    page.goto("/parcours")
    shoot(page, "journey", suffix)
    page.goto("/mes-donnees")
    shoot(page, "my-data", suffix)
    page.goto("/mes-donnees/suppression")
    shoot(page, "confirm-deletion", suffix)
    page.goto("/accessibilite")
    shoot(page, "accessibility", suffix)

    # The largest text size: the header stays two short rows.
    page.goto(lesson)
    bigger = page.get_by_role("button", name="A+ plus grand")
    while bigger.is_enabled():
        bigger.click()
    shoot(page, "largest-text", suffix)
    page.get_by_role("button", name="A− plus petit").click(click_count=3)


def main() -> None:
    with demo_site() as (url, app), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        for suffix, device in VIEWPORTS.items():
            visit = signed_in_visit(app)  # a fresh quiz result each time, and a session of its own
            context = browser.new_context(base_url=url, locale="fr-FR", **device)
            page = context.new_page()
            page.goto("/connexion")
            shoot(page, "login", suffix)
            name, cookie_value = visit["cookie"].split("=", 1)
            context.add_cookies([{"name": name, "value": cookie_value, "url": url}])
            screens(page, context, visit, suffix)

            # The same quiz answered without a connection: the answers wait on the phone.
            page.goto(visit["lesson"])
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_load_state("networkidle")
            context.set_offline(True)
            page.reload()
            for question in page.locator("fieldset.question").all():
                question.locator("input").first.check()
            page.get_by_role("button", name="Envoyer mes réponses").click()
            page.get_by_text("Vos réponses sont gardées sur ce téléphone").evaluate("note => note.scrollIntoView()")
            page.screenshot(path=DOCS / f"screen-offline{suffix}.png")

            # Back online: the lessons this phone keeps for offline reading are marked.
            context.set_offline(False)
            page.goto(visit["module"])
            page.get_by_text("Lisible sans connexion").first.wait_for()
            shoot(page, "module-kept", suffix)
            context.close()
        facilitator_screens(browser, url, app)
        browser.close()
        print(f"screenshots written to {DOCS}")


def _sign_in_facilitator(page) -> None:
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill("animatrice")
    page.get_by_label("Mot de passe", exact=True).fill("animatrice-demo")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


WIDTHS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 800}}


def facilitator_screens(browser, url, app) -> None:
    """Each facilitator screen at both widths, then each printed sheet (its PDF's page count printed)."""
    group = seed_workshop(app)
    for width, viewport in WIDTHS.items():
        context = browser.new_context(base_url=url, viewport=viewport, device_scale_factor=1, locale="fr-FR")
        page = context.new_page()
        _sign_in_facilitator(page)
        shots = [("home", "/animation/"), ("group", f"/animation/groupes/{group}"), ("cards-form", f"/animation/groupes/{group}/cartes"),
                 ("report", "/animation/rapport")]
        for slug, path in shots:
            page.goto(path)
            page.screenshot(path=DOCS / f"facilitator-{slug}-{width}.png", full_page=True)
        page.goto("/animation/")
        page.locator(".need .learner-name a").first.click()
        page.wait_for_load_state()
        learner_url = page.url
        page.screenshot(path=DOCS / f"facilitator-learner-{width}.png", full_page=True)
        page.get_by_role("button", name="Nouveau mot de passe").click()
        page.wait_for_load_state()
        page.screenshot(path=DOCS / f"facilitator-confirm-{width}.png", full_page=True)
        page.goto(learner_url + "/attestation?full_name=Samira+El+Amrani")
        page.screenshot(path=DOCS / f"facilitator-attestation-{width}.png", full_page=True)
        context.close()
    printed_sheets(browser, url, group)


A4_PORTRAIT = {"width": 718, "height": 1047}  # A4 minus 10 mm margins, in CSS pixels
A4_LANDSCAPE = {"width": 1062, "height": 733}


def pdf_pages(pdf: bytes) -> list[int]:
    """For each page of a PDF written by chromium, how many things it draws (text runs and images):
    0 is a blank page. Its streams are plain Flate, read with zlib."""
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)}
    drawn = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Page[^s]", body):
            continue
        contents = re.search(rb"/Contents\s+(\d+) 0 R", body)
        stream = re.search(rb"stream\r?\n(.*)endstream", objects.get(int(contents.group(1)), b"") if contents else b"", re.S)
        raw = stream.group(1) if stream else b""
        with contextlib.suppress(zlib.error):
            raw = zlib.decompress(raw)
        drawn.append(raw.count(b"Tj") + raw.count(b"TJ") + raw.count(b" Do"))
    return drawn


def _print(page, slug: str, viewport: dict) -> None:
    """The sheet as chromium prints it: its pages (blank ones named), and its print layout as a PNG."""
    page.emulate_media(media="print")
    drawn = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    blank = [number for number, count in enumerate(drawn, start=1) if not count]
    page.set_viewport_size(viewport)
    page.screenshot(path=DOCS / f"printed-{slug}.png", full_page=True)
    page.emulate_media(media="null")  # a PDF follows the emulated media: back to none
    page.set_viewport_size(WIDTHS["1280"])
    print(f"printed {slug}: {len(drawn)} page(s), blank: {blank or 'none'}")


def printed_sheets(browser, url, group) -> None:
    context = browser.new_context(base_url=url, viewport=WIDTHS["1280"], locale="fr-FR")
    page = context.new_page()
    _sign_in_facilitator(page)
    page.goto(f"/animation/groupes/{group}/cartes")
    for box in page.locator("input[name=learners]").all()[:8]:
        box.check()
    page.locator("input[name=passwords][value=new]").check()
    page.get_by_role("button", name="Préparer les cartes").click()
    page.get_by_role("button", name="Confirmer et préparer les cartes").click()
    page.locator(".signin-card").first.wait_for()
    _print(page, "cards", A4_PORTRAIT)
    page.goto(f"/animation/groupes/{group}")
    learner_url = page.locator(".grid-name a").first.get_attribute("href")
    _print(page, "grid", A4_LANDSCAPE)
    page.goto("/animation/rapport")
    _print(page, "report", A4_PORTRAIT)
    page.goto(learner_url + "/attestation")
    _print(page, "attestation", A4_PORTRAIT)
    context.close()


if __name__ == "__main__":
    main()
