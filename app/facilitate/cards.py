"""Sign-in cards as printed: the QR code of the card's address (auth.services.card_url)."""

from __future__ import annotations

import segno

from ..auth.services import base_url


def platform_address() -> str:
    """The address as a person types it in a browser: without "https://"."""
    return base_url().split("://", 1)[-1]


def qr_svg(url: str, title: str) -> str:
    """The QR code as inline SVG markup (a path with presentation attributes, no style)."""
    return segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, title=title, dark="#000", light="#fff"
    )
