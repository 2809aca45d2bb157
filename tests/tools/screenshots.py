"""Screenshots of the main screens at 360 px into docs/ (`make screenshots`): what the README shows."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.tools.demo_site import demo_site, signed_in_visit

DOCS = Path(__file__).resolve().parents[2] / "docs"


def main() -> None:
    with demo_site() as (url, app), sync_playwright() as playwright:
        visit = signed_in_visit(app)
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        context = browser.new_context(
            base_url=url, viewport={"width": 360, "height": 740}, device_scale_factor=1, is_mobile=True, locale="fr-FR"
        )
        page = context.new_page()
        page.goto("/connexion")
        page.screenshot(path=DOCS / "screen-login.png")
        name, cookie_value = visit["cookie"].split("=", 1)
        context.add_cookies([{"name": name, "value": cookie_value, "url": url}])
        for slug, path in (("home", "/"), ("lesson", visit["lesson"]), ("result", visit["result"])):
            page.goto(path)
            page.screenshot(path=DOCS / f"screen-{slug}.png")
        page.goto(visit["lesson"])
        page.locator("#quiz-title").evaluate("title => title.scrollIntoView()")
        page.screenshot(path=DOCS / "screen-quiz.png")
        page.goto("/parcours")
        page.screenshot(path=DOCS / "screen-journey.png")

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
        page.screenshot(path=DOCS / "screen-offline.png")
        browser.close()
        print(f"screenshots written to {DOCS}")


if __name__ == "__main__":
    main()
