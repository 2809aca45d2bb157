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


NNBSP, NBSP = "\u202f", "\u00a0"


def test_an_authors_line_break_stays_a_line_break_and_lists_and_headings_still_render():
    html = render_block("Une phrase.\nUne autre phrase.\n\n## Un titre\nSous le titre.\n\n1. Un.\n2. Deux.\n\n- Point.\n")
    assert "<p>Une phrase.<br>\nUne autre phrase.</p>" in html
    assert "<h2>Un titre</h2>\n<p>Sous le titre.</p>" in html
    assert "<ol>\n<li>Un.</li>\n<li>Deux.</li>\n</ol>" in html
    assert "<ul>\n<li>Point.</li>\n</ul>" in html


def test_french_punctuation_gets_non_breaking_spaces_in_text():
    html = render_block("Attention : vous payez ? Non ! Jamais ; « gratuit » **vraiment** ?")
    assert html == (
        f"<p>Attention{NBSP}: vous payez{NNBSP}? Non{NNBSP}! Jamais{NNBSP}; "
        f"«{NNBSP}gratuit{NNBSP}» <strong>vraiment</strong>{NNBSP}?</p>"
    )


def test_typography_never_touches_an_address_code_or_a_sign_typed_without_a_space():
    html = render_block("[Le site ?](https://www.impots.gouv.fr/recherche?q=a:b&c=!) <https://pix.fr/?a=b> `a : b ?` à 10:30, « mot»")
    assert f'<a href="https://www.impots.gouv.fr/recherche?q=a:b&amp;c=!">Le site{NNBSP}?</a>' in html
    assert '<a href="https://pix.fr/?a=b">https://pix.fr/?a=b</a>' in html
    assert "<code>a : b ?</code>" in html
    assert "à 10:30" in html
    assert f"«{NNBSP}mot{NNBSP}»" in html


def test_a_glossary_link_leads_to_its_definition_and_holds_it_for_reading_in_place():
    def term(word):
        return ("/glossaire#rib", "Le relevé d'identité bancaire : vos numéros de compte.") if word.lower() == "rib" else None

    html = render_block("Envoyez votre [[RIB]]. Ou [[votre relevé|rib]]. Ou [[inconnu]].", term=term)
    definition = f'<span class="glossary-definition" hidden="">Le relevé d\'identité bancaire{NBSP}: vos numéros de compte.</span>'
    assert f'<span class="glossary-term"><a class="glossary-link" href="/glossaire#rib">RIB</a>{definition}</span>' in html
    assert '<a class="glossary-link" href="/glossaire#rib">votre relevé</a>' in html
    # The parser reports an unknown word; the renderer shows the text alone.
    assert "Ou inconnu.</p>" in html


def test_a_glossary_link_inside_code_stays_code():
    assert render_block("`[[RIB]]`", term=lambda word: ("/g#rib", "x")) == "<p><code>[[RIB]]</code></p>"
