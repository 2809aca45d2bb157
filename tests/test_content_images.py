"""Lesson pictures keep their place before they load, and load as the reader comes near them."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from app.content import load_library
from app.content.pictures import size_or_none
from app.content.rendering import render_block
from tests.test_content_rendering import parsed_elements

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [
        ("sized.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="240px" height="120" viewBox="0 0 48 24"/>', (240, 120)),
        ("box.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200"/>', (320, 200)),
        ("relative.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0,0,50,25"/>', (50, 25)),
        ("unsized.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>', None),
        ("broken.svg", "<svg", None),
        ("photo.png", png(640, 480), (640, 480)),
        ("not-a-png.png", b"GIF89a....................", None),
        ("absent.png", None, None),
    ],
)
def test_image_size_is_read_from_svg_and_png_files(tmp_path, name, content, size):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    elif content is not None:
        path.write_bytes(content)
    assert size_or_none(path) == size


def test_a_picture_gets_its_size_and_loads_lazily():
    html = render_block("Voici.\n\n![Un téléphone](images/t.svg)", image_size=lambda src: (120, 200) if src == "images/t.svg" else None)
    (image,) = [dict(attrs) for tag, attrs in parsed_elements(html) if tag == "img"]
    assert image == {"alt": "Un téléphone", "src": "images/t.svg", "width": "120", "height": "200", "loading": "lazy"}
    unknown = render_block("![Sans taille](images/u.svg)")
    (image,) = [dict(attrs) for tag, attrs in parsed_elements(unknown) if tag == "img"]
    assert "width" not in image and image["loading"] == "lazy"


def test_lesson_pictures_carry_the_size_of_their_file():
    lesson = load_library(FIXTURES).lesson("demo-premiers-pas")
    (image,) = [dict(attrs) for tag, attrs in parsed_elements(lesson.body_html) if tag == "img"]
    assert (image["width"], image["height"], image["loading"]) == ("120", "200", "lazy")
