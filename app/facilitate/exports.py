"""The one CSV writer for spreadsheets (every export and download): UTF-8 with BOM, ';' between
cells, CRLF, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

# A cell starting with one of these is read as a formula by Excel or LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
ROWS_PER_CHUNK = 200


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text in chunks of a few hundred rows, to stream a large export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(cell) for cell in header])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(cell) for cell in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    return "".join(csv_chunks(header, rows))


def csv_download(filename: str, header: Iterable, rows: Iterable[Iterable]) -> Response:
    """The file streamed as an attachment (its caching is decided with every page's, in app/security.py)."""
    return Response(
        stream_with_context(csv_chunks(header, rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
