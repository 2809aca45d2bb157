"""The size of a lesson's picture, read from its file: the page reserves its place before it loads."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as etree
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _svg_length(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value.removesuffix("px"))
    except ValueError:
        return None  # "100%", "12em": no size in pixels


def _svg_size(path: Path) -> tuple[int, int] | None:
    try:
        root = etree.parse(path).getroot()  # noqa: S314 (the lesson authors' own files, read once at start)
    except etree.ParseError:
        return None
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    if width is None or height is None:
        box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(box) != 4:
            return None
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            return None
    return (round(width), round(height)) if width > 0 and height > 0 else None


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels of an SVG or PNG file; None when it cannot be told."""
    try:
        if path.suffix.lower() == ".svg":
            return _svg_size(path)
        with path.open("rb") as file:
            header = file.read(24)
    except OSError:
        return None
    if header.startswith(PNG_SIGNATURE) and header[12:16] == b"IHDR":
        return struct.unpack(">II", header[16:24])
    return None
