"""The intrinsic size of a lesson picture, read from the file itself (SVG or PNG)."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ElementTree
from pathlib import Path

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")


class PictureError(ValueError):
    """A picture whose size cannot be read: the message is for the lesson author."""


def size_or_none(path: Path) -> tuple[int, int] | None:
    """For a picture in the lesson text: its width and height when they can be told (the page then
    keeps its place before it loads), else None."""
    try:
        return picture_size(path)
    except (PictureError, OSError):
        return None


def picture_size(path: Path) -> tuple[int, int]:
    if path.suffix.lower() == ".png":
        return _png_size(path)
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    raise PictureError("une question « touchez le bon endroit » a besoin d'une image SVG ou PNG")


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    # The IHDR chunk comes first: width and height are its first two 4-byte integers.
    if len(header) < 24 or not header.startswith(_PNG_SIGNATURE) or header[12:16] != b"IHDR":
        raise PictureError("ce fichier PNG est illisible")
    return struct.unpack(">II", header[16:24])


def _svg_size(path: Path) -> tuple[int, int]:
    try:
        root = ElementTree.parse(path).getroot()  # noqa: S314 (the lesson author's own file)
    except ElementTree.ParseError as error:
        raise PictureError(f"ce fichier SVG est illisible : {error}") from None
    width, height = (_LENGTH.match(root.get(name, "")) for name in ("width", "height"))
    if width and height:
        return round(float(width[1])), round(float(height[1]))
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return round(float(view_box[2])), round(float(view_box[3]))
    except (IndexError, ValueError):
        raise PictureError("ce fichier SVG n'a ni « viewBox » ni « width » et « height » en pixels") from None
