"""Page weight measured from the browser's own network records: what a phone really downloads."""

from __future__ import annotations

from .conftest import sign_in
from .helpers import FIRST, wait_until_kept

FIRST_VISIT_BUDGET = 25 * 1024
SECOND_PAGE_BUDGET = 15 * 1024


class Transfers:
    """Bytes that went over the network (compressed bodies and headers), service worker included.

    A response taken from the HTTP cache or from the service worker's cache transfers nothing.
    The lesson's own illustrations are left out of the budget.
    """

    def __init__(self, context):
        self.rows = []
        context.on("requestfinished", self._record)

    def _record(self, request):
        if "/lecons/media/" in request.url:
            return
        sizes = request.sizes()
        self.rows.append((request.url, max(0, sizes["responseBodySize"] + sizes["responseHeadersSize"])))

    def take(self) -> tuple[int, list]:
        rows, self.rows = self.rows, []
        return sum(size for _, size in rows), rows


def test_lesson_pages_stay_within_the_data_budget(open_context, learner):
    signing_context, signing_page = open_context("phone")
    sign_in(signing_page, learner)
    cookies = signing_context.cookies()

    # A phone that never saw the site: an empty HTTP cache and no service worker, only the session.
    context, page = open_context("phone")
    context.add_cookies(cookies)
    transfers = Transfers(context)
    page.goto(f"/lecons/{FIRST.id}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    wait_until_kept(page, f"/lecons/{FIRST.id}")
    first_visit, rows = transfers.take()
    assert any(url.endswith(".css") for url, _ in rows) and any(url.endswith(".js") for url, _ in rows)
    # Kept for offline reading from the page the phone received, not downloaded a second time.
    assert [url for url, _ in rows if url.endswith(f"/lecons/{FIRST.id}")] == [f"{page.url}"]
    assert first_visit <= FIRST_VISIT_BUDGET, rows

    page.goto("/lecons/demo-sans-quiz")
    page.wait_for_load_state("networkidle")
    second_page, rows = transfers.take()
    assert second_page <= SECOND_PAGE_BUDGET, rows
    print(f"\nfirst visit of a lesson: {first_visit / 1024:.1f} KB, second lesson page: {second_page / 1024:.1f} KB")


def test_responses_are_compressed_and_static_files_cached_for_a_year(open_context, learner):
    context, page = open_context("phone")
    sign_in(page, learner)
    seen = {}
    page.on("response", lambda response: seen.setdefault(response.url.rsplit("/", 1)[-1], response))
    page.goto(f"/lecons/{FIRST.id}")
    page.wait_for_load_state("networkidle")
    lesson = seen[FIRST.id]
    assert lesson.headers["content-encoding"] in ("br", "gzip", "zstd")
    statics = [response for name, response in seen.items() if name.endswith((".css", ".js"))]
    assert len(statics) == 2
    for response in statics:
        assert "immutable" in response.headers["cache-control"] and "max-age=31536000" in response.headers["cache-control"]
