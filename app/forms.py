"""What every form and query shares: the status of a page that shows a form again, and how a
number sent by a page is read."""

from __future__ import annotations

from flask import request


def form_status(form, sent: bool | None = None) -> int:
    """422 when the form was sent and the page shows it again (with its messages), else 200.

    A POST that reaches this point was refused; a search form sent by GET says so with `sent`."""
    if sent is None:
        sent = request.method == "POST"
    return 422 if sent else 200


LARGEST_ID = 2**31 - 1  # a 32-bit database key


def id_number(value) -> int:
    """A row id or a page number sent by one of our pages: ASCII digits from 1 to LARGEST_ID.

    int() also reads "١٢", "１２" and " 12 ": those are refused (ValueError), as is anything past a
    32-bit key, so that one record has one address and no query sees a number it cannot hold."""
    text = str(value)
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or not 0 < int(text) <= LARGEST_ID:
        raise ValueError(value)
    return int(text)
