"""Static files under content-hashed names, so a phone downloads each version once.

url_for("static", filename="css/app.css") gives /static/css/app.<hash>.css. A request for the
current hashed name is served with a year-long immutable cache; any other name (an old hash, or no
hash) gets the current file with the default short cache, so an old page still finds its styles.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path

from flask import Flask, current_app, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface

HASH_LENGTH = 10
HASHED_NAME = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$")
ONE_YEAR = 365 * 24 * 3600
# Responses that are the same for everyone: they never write the session cookie nor say Vary: Cookie.
SAME_FOR_EVERYONE = {"static", "pages.service_worker", "pages.favicon"}

# (static folder, filename) -> (mtime_ns, size, hash). A running server's files do not change, so the
# hash is computed once per file; in debug mode the file is checked on every use, so that development
# edits show at once.
_hashes: dict[tuple[str, str], tuple[int, int, str]] = {}


def file_hash(filename: str) -> str | None:
    key = (current_app.static_folder, filename)
    known = _hashes.get(key)
    if known and not current_app.debug:
        return known[2]
    path = Path(key[0]) / filename
    try:
        stat = path.stat()
    except OSError:
        return None
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    _hashes[key] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def hashed_name(filename: str) -> str:
    digest = file_hash(filename)
    name = filename.rpartition("/")[2]
    if digest is None or "." not in name:
        return filename
    stem, _, suffix = filename.rpartition(".")
    return f"{stem}.{digest}.{suffix}"


def _add_hash(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = hashed_name(values["filename"])


def file_response(response):
    """A file sent with only what a browser uses: read into memory (these files are small) so that
    Flask-Compress compresses it, without the headers send_file adds for downloads and ranges."""
    response.direct_passthrough = False
    response.make_sequence()
    for header in ("Content-Disposition", "Accept-Ranges", "Expires"):
        response.headers.pop(header, None)
    if response.cache_control.immutable:
        # Never asked again: a validator would only add bytes.
        for header in ("ETag", "Last-Modified"):
            response.headers.pop(header, None)
    return response


def serve_static(filename: str):
    return file_response(_static_response(filename))


def _static_response(filename: str):
    match = HASHED_NAME.match(filename)
    if match:
        original = match["stem"] + match["suffix"]
        current = file_hash(original)
        if current == match["hash"]:
            response = send_from_directory(current_app.static_folder, original, max_age=ONE_YEAR)
            response.cache_control.public = True
            response.cache_control.immutable = True
            return response
        if current is not None:
            return send_from_directory(current_app.static_folder, original)
    return send_from_directory(current_app.static_folder, filename)


class SessionInterface(SecureCookieSessionInterface):
    def save_session(self, app, session, response):
        if request.endpoint not in SAME_FOR_EVERYONE:
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    mimetypes.add_type("application/manifest+json", ".webmanifest")
    app.session_interface = SessionInterface()
    app.url_defaults(_add_hash)
    app.view_functions["static"] = serve_static
