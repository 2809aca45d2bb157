"""The app's one copy of the lesson library: loaded once, reloaded on edits in debug mode."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app

from .content import Library, load_library
from .content.library import files_signature
from .content.scenarios import Scenario

EXTENSION_KEY = "lesson_library"


def _load(app: Flask) -> Library:
    # A lesson's text is rendered when first shown, in a request or in a command: its links are
    # built from the app's routes as url_for builds them, without needing a request.
    urls = app.url_map.bind("")
    return load_library(
        Path(app.config["LESSONS_DIR"]),
        lesson_url=lambda lesson_id: urls.build("learn.lesson", {"lesson_id": lesson_id}),
        image_url_for_module=lambda module_id: (
            lambda src: urls.build("learn.lesson_media", {"module_id": module_id, "filename": src})
        ),
        glossary_url=lambda anchor: f"{urls.build('learn.glossary')}#{anchor}",
    )


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = _load(app)


def get_library() -> Library:
    library = current_app.extensions[EXTENSION_KEY]
    if current_app.debug and files_signature(library.root) != library.signature:
        library = current_app.extensions[EXTENSION_KEY] = _load(current_app)
    return library


def scenario_or_404(scenario_id: str) -> Scenario:
    """A practice scenario of the library, for the learner's and the facilitator's pages alike."""
    scenario = get_library().scenario(scenario_id)
    if scenario is None:
        abort(404)
    return scenario
