"""Lesson Markdown renders to harmless HTML, whatever the author wrote."""

from html.parser import HTMLParser

import pytest

from app.content.rendering import ALLOWED_TAGS, render_block


def parsed_elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    elements = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, attrs))

    Collector().feed(html)
    return elements


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        "[clic](javascript:alert(1))",
        "<a href=\"#\" onclick=\"alert(1)\">clic</a>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=\"https://exemple.fr\"></iframe>",
        "![x](javascript:alert(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD4=)",
        "<svg onload=alert(1)>",
    ],
)
def test_hostile_markdown_renders_harmless(hostile):
    elements = parsed_elements(render_block(f"Texte.\n\n{hostile}\n"))
    assert {tag for tag, _ in elements} <= ALLOWED_TAGS
    for _, attributes in elements:
        for name, value in attributes:
            assert not name.startswith("on")
            assert not (value or "").lower().startswith(("javascript:", "data:"))


def test_raw_html_is_shown_as_text_not_interpreted():
    assert render_block("<b>gras</b>") == "<p>&lt;b&gt;gras&lt;/b&gt;</p>"


def test_boxes_wrap_their_section_only():
    html = render_block("## À vous de jouer\n\nFaites.\n\n## À retenir\n\n- Un point.\n\n## Suite\n\nFin.")
    assert '<section class="box box-activity"><h2>À vous de jouer</h2>\n<p>Faites.</p>\n</section>' in html
    assert '<section class="box box-remember"><h2>À retenir</h2>' in html
    assert html.endswith("<h2>Suite</h2>\n<p>Fin.</p>")


def test_safe_links_are_kept():
    html = render_block("[Service public](https://www.service-public.gouv.fr) [appel](tel:3018)")
    assert '<a href="https://www.service-public.gouv.fr">Service public</a>' in html
    assert '<a href="tel:3018">appel</a>' in html
