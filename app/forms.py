"""The status of a page that shows a form: 422 when what was sent is refused, so that tests,
proxies and the offline queue tell a refused form from an accepted one."""

from __future__ import annotations

from flask import request


def form_status(form, sent: bool | None = None) -> int:
    """422 when the form was sent and the page shows it again (with its messages), else 200.

    A POST that reaches this point was refused; a search form sent by GET says so with `sent`."""
    if sent is None:
        sent = request.method == "POST"
    return 422 if sent else 200
