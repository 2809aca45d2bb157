"""The rendered library kept on disk, so each worker and each restart reuses the rendering.

An entry is found by a key made of everything the rendering depends on: the content of every
file in the lessons folder, the folder's place, the code of this package and the versions of
the libraries it uses, and what the link resolvers make of a sample link. Any change gives
another key, so a stale entry is never read; an entry that cannot be read is rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rendering import LinkResolver

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
# Another version of one of these may read or render a lesson differently.
LIBRARIES = ("Markdown", "bleach", "PyYAML")
SAMPLE_ID = "exemple"


def renderer_version() -> str:
    """Changes whenever the code that turns lesson files into a library does."""
    digest = hashlib.sha256(" ".join(f"{name} {version(name)}" for name in LIBRARIES).encode())
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(root: Path, lesson_url: LinkResolver, image_url_for_module, glossary_url: LinkResolver) -> str:
    digest = hashlib.sha256(renderer_version().encode())
    # The resolvers build URLs from one pattern each (url_for in the app): a sample shows which.
    samples = (lesson_url(SAMPLE_ID), image_url_for_module(SAMPLE_ID)(SAMPLE_ID), glossary_url(SAMPLE_ID))
    digest.update("".join(f"\0{sample}" for sample in samples).encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(f"\0{path.relative_to(root)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _entry_prefix(root: Path) -> str:
    # One entry per lessons folder: writing a new one removes the entries it replaces.
    return "lessons-" + hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12] + "-"


def read(cache_dir: Path, root: Path, key: str) -> object | None:
    path = cache_dir / f"{_entry_prefix(root)}{key}.pickle"
    try:
        with path.open("rb") as file:
            # Written by this app into its own instance folder, like its database and secret key.
            library = pickle.load(file)  # noqa: S301
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged entry is rendered again, whatever the damage
        log.warning("cache des leçons illisible, leçons lues à nouveau : %s: %s", path, error)
        return None
    return library


def write(cache_dir: Path, root: Path, key: str, library: object) -> None:
    """Write the entry whole or not at all: another worker may be writing or reading it too."""
    prefix = _entry_prefix(root)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".tmp-", delete=False) as file:
            try:
                pickle.dump(library, file, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                os.unlink(file.name)
                raise
        os.replace(file.name, cache_dir / f"{prefix}{key}.pickle")
        for old in cache_dir.glob(f"{prefix}*.pickle"):
            if old.name != f"{prefix}{key}.pickle":
                old.unlink(missing_ok=True)
    except OSError as error:  # a read-only or full disk only costs the next start its speed
        log.warning("cache des leçons non écrit dans %s : %s", cache_dir, error)
