"""Screenshots of the participant screens at 360 px and 1,280 px into docs/ (`make screenshots`).

docs/screen-<name>.png is the phone (360 px), docs/screen-<name>-1280.png the laptop; the README
shows the phone ones.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.tools.demo_site import demo_site, signed_in_visit

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
        browser.close()
        print(f"screenshots written to {DOCS}")


if __name__ == "__main__":
    main()
