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
from markdown.treeprocessors import Treeprocessor

LESSON_LINK_SCHEME = "lecon:"

# What a lesson may contain once rendered; anything else is removed.
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a",
    "img", "blockquote", "code", "pre", "section", "table", "thead", "tbody",
    "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "section": ["class"],
    "th": ["scope"],
}
ALLOWED_PROTOCOLS = ["https", "mailto", "tel"]

# Headings that open a highlighted box, by the class the box gets.
BOX_HEADINGS = {
    "à vous de jouer": "box box-activity",
    "à retenir": "box box-remember",
}

LinkResolver = Callable[[str], str]
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


class _PasAPasExtension(Extension):
    def __init__(self, lesson_url: LinkResolver, image_url: LinkResolver):
        super().__init__()
        self.lesson_url = lesson_url
        self.image_url = image_url

    def extendMarkdown(self, md):  # noqa: N802 (markdown's API name)
        # Raw HTML is shown as text, never interpreted.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(
            _LinkAndBoxProcessor(md, self.lesson_url, self.image_url), "pasapas", 0
        )


def _text_of(element: etree.Element) -> str:
    return "".join(element.itertext())


def _is_external(url: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I)) or url.startswith("//")


def _identity(value: str) -> str:
    return value


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


def _converter(lesson_url: LinkResolver, image_url: LinkResolver, image_size: SizeResolver) -> markdown.Markdown:
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = markdown.Markdown(
            extensions=["sane_lists", "tables", _PasAPasExtension(_identity, _identity)],
            output_format="html",
        )
    processor = md.treeprocessors["pasapas"]
    processor.lesson_url, processor.image_url, processor.image_size = lesson_url, image_url, image_size
    md.reset()
    return md


def render_block(
    text: str,
    lesson_url: LinkResolver = _identity,
    image_url: LinkResolver = _identity,
    image_size: SizeResolver = _no_size,
) -> str:
    """Render lesson Markdown to sanitized HTML."""
    return sanitize(_converter(lesson_url, image_url, image_size).convert(text))


def render_inline(text: str, **resolvers) -> str:
    """Render a short text (a choice, a question) without its paragraph."""
    html = render_block(text, **resolvers)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
