"""Markdown to safe HTML: the only module that knows markdown and bleach."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable

import bleach
import bleach.sanitizer
import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .model import GLOSSARY_LINK
from .typography import french_spacing

LESSON_LINK_SCHEME = "lecon:"
GLOSSARY_TERM_CLASS = "glossary-term"
GLOSSARY_LINK_CLASS = "glossary-link"
GLOSSARY_DEFINITION_CLASS = "glossary-definition"

# What a lesson may contain once rendered; anything else is removed.
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a",
    "img", "blockquote", "code", "pre", "section", "table", "thead", "tbody",
    "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {
    # Authors cannot write attributes (raw HTML is shown as text): these come from this module.
    "a": ["href", "title", "class"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "section": ["class"],
    "span": ["class", "hidden"],
    "th": ["scope"],
}
ALLOWED_PROTOCOLS = ["https", "mailto", "tel"]

# Headings that open a highlighted box, by the class the box gets.
BOX_HEADINGS = {
    "à vous de jouer": "box box-activity",
    "à retenir": "box box-remember",
}

LinkResolver = Callable[[str], str]
# A glossary word as written by the author -> (address of its definition, the definition), or None.
TermResolver = Callable[[str], "tuple[str, str] | None"]
# Their text is shown as typed.
_VERBATIM_TAGS = {"code", "pre"}
# A picture's (width, height) from its address in the lesson, or None when it cannot be told.
SizeResolver = Callable[[str], "tuple[int, int] | None"]


def _no_size(_src: str) -> None:
    return None


class _LinkAndBoxProcessor(Treeprocessor):
    def __init__(self, md, lesson_url: LinkResolver, image_url: LinkResolver):
        super().__init__(md)
        self.lesson_url = lesson_url
        self.image_url = image_url
        self.image_size: SizeResolver = _no_size

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith(LESSON_LINK_SCHEME):
                link.set("href", self.lesson_url(href[len(LESSON_LINK_SCHEME):]))
        for image in root.iter("img"):
            src = image.get("src", "")
            if not _is_external(src):
                # Its place kept before it arrives, so the text does not jump.
                size = self.image_size(src)
                if size:
                    image.set("width", str(size[0]))
                    image.set("height", str(size[1]))
                image.set("src", self.image_url(src))
            # The title, the objectives and the first lines fill a phone's first screen: pictures
            # load as the reader comes near them (the browser loads those already in view at once).
            image.set("loading", "lazy")
        self._wrap_boxes(root)

    @staticmethod
    def _wrap_boxes(root: etree.Element) -> None:
        children = list(root)
        box = None
        for child in children:
            if child.tag in ("h2", "h1"):
                css_class = BOX_HEADINGS.get(_text_of(child).strip().lower())
                box = None
                if css_class:
                    box = etree.Element("section", {"class": css_class})
                    root.insert(list(root).index(child), box)
            if box is not None:
                root.remove(child)
                box.append(child)


class _FrenchSpacingProcessor(Treeprocessor):
    """On text only: never in an address (an attribute), in code, or in the author's markup."""

    def run(self, root: etree.Element) -> None:
        self._space(root)

    def _space(self, element: etree.Element) -> None:
        if element.text and not isinstance(element.text, AtomicString):
            element.text = french_spacing(element.text)
        for child in element:
            if child.tag not in _VERBATIM_TAGS:
                self._space(child)
            if child.tail:
                child.tail = french_spacing(child.tail)


class _GlossaryLinkProcessor(InlineProcessor):
    """[[mot]]: a link to the word's definition on the glossary page, with the definition beside
    it, hidden until app.js opens it in place (without JavaScript the link leads to the page)."""

    def __init__(self, md):
        super().__init__(GLOSSARY_LINK.pattern, md)
        self.term: TermResolver = _no_term

    def handleMatch(self, m, data):  # noqa: N802 (markdown's API name)
        shown = m["shown"].strip()
        found = self.term((m["word"] or shown).strip())
        if found is None:  # reported by the parser; shown as plain text
            return AtomicString(shown), m.start(0), m.end(0)
        href, definition = found
        wrapper = etree.Element("span", {"class": GLOSSARY_TERM_CLASS})
        link = etree.SubElement(wrapper, "a", {"href": href, "class": GLOSSARY_LINK_CLASS})
        link.text = AtomicString(french_spacing(shown))
        note = etree.SubElement(wrapper, "span", {"class": GLOSSARY_DEFINITION_CLASS, "hidden": "hidden"})
        note.text = AtomicString(french_spacing(definition))
        return wrapper, m.start(0), m.end(0)


class _PasAPasExtension(Extension):
    def __init__(self, lesson_url: LinkResolver, image_url: LinkResolver):
        super().__init__()
        self.lesson_url = lesson_url
        self.image_url = image_url

    def extendMarkdown(self, md):  # noqa: N802 (markdown's API name)
        # Raw HTML is shown as text, never interpreted.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After code spans and backslash escapes, before Markdown's own [links].
        md.inlinePatterns.register(_GlossaryLinkProcessor(md), "glossary", 175)
        # After the inline patterns (20), so that code spans are known.
        md.treeprocessors.register(_FrenchSpacingProcessor(md), "french_spacing", 5)
        md.treeprocessors.register(
            _LinkAndBoxProcessor(md, self.lesson_url, self.image_url), "pasapas", 0
        )


def _text_of(element: etree.Element) -> str:
    return "".join(element.itertext())


def _is_external(url: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I)) or url.startswith("//")


def _identity(value: str) -> str:
    return value


def _no_term(word: str) -> None:
    return None


# Building a Markdown converter and a bleach cleaner costs more than rendering a short text, and a
# lesson renders dozens of them (docs/benchmarks.md): each thread keeps one of each and reuses it.
_local = threading.local()


def _cleaner() -> bleach.sanitizer.Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.sanitizer.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
    return cleaner


def sanitize(html: str) -> str:
    return _cleaner().clean(html)


def _converter(
    lesson_url: LinkResolver, image_url: LinkResolver, term: TermResolver, image_size: SizeResolver
) -> markdown.Markdown:
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = markdown.Markdown(
            # nl2br: authors write one sentence per line, and a line break stays one on screen.
            extensions=["sane_lists", "tables", "nl2br", _PasAPasExtension(_identity, _identity)],
            output_format="html",
        )
    processor = md.treeprocessors["pasapas"]
    processor.lesson_url, processor.image_url, processor.image_size = lesson_url, image_url, image_size
    md.inlinePatterns["glossary"].term = term
    md.reset()
    return md


def render_block(
    text: str,
    lesson_url: LinkResolver = _identity,
    image_url: LinkResolver = _identity,
    term: TermResolver = _no_term,
    image_size: SizeResolver = _no_size,
) -> str:
    """Render lesson Markdown to sanitized HTML."""
    return sanitize(_converter(lesson_url, image_url, term, image_size).convert(text))


def render_inline(text: str, **resolvers) -> str:
    """Render a short text (a choice, a question) without its paragraph."""
    html = render_block(text, **resolvers)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
