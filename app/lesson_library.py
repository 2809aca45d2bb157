"""The app's one copy of the lesson library: loaded once, reloaded on edits in debug mode."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, url_for

from .content import Library, load_library
from .content.library import files_signature
from .content.scenarios import Scenario

EXTENSION_KEY = "lesson_library"


def _load(root: Path) -> Library:
    return load_library(
        root,
        lesson_url=lambda lesson_id: url_for("learn.lesson", lesson_id=lesson_id),
        image_url_for_module=lambda module_id: (
            lambda src: url_for("learn.lesson_media", module_id=module_id, filename=src)
        ),
        glossary_url=lambda anchor: url_for("learn.glossary", _anchor=anchor),
    )


def init_app(app) -> None:
    # Links inside lessons are paths; the host only has to be one the app accepts (TRUSTED_HOSTS).
    host = (app.config.get("TRUSTED_HOSTS") or ["localhost"])[0].lstrip(".")
    with app.test_request_context(base_url=f"http://{host}"):
        app.extensions[EXTENSION_KEY] = _load(Path(app.config["LESSONS_DIR"]))


def get_library() -> Library:
    library = current_app.extensions[EXTENSION_KEY]
    if current_app.debug and files_signature(library.root) != library.signature:
        library = current_app.extensions[EXTENSION_KEY] = _load(library.root)
    return library


def scenario_or_404(scenario_id: str) -> Scenario:
    """A practice scenario of the library, for the learner's and the facilitator's pages alike."""
    scenario = get_library().scenario(scenario_id)
    if scenario is None:
        abort(404)
    return scenario
