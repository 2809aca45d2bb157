"""Part 3 and 4 (content): time to load a lessons folder with app.content.load_library.

The median of 3 loads of each folder: reading, checking and rendering every lesson, which is
what a start pays (gunicorn's master does it once, before forking its workers: preload_app).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.content import load_library
from tests.facilitate_helpers import write_lessons

from .measure import ROOT

# (label, modules, lessons per module); None: the real lessons/ folder.
FOLDERS = [("lessons/ (the real course)", None, None), ("10 generated", 1, 10), ("40 generated", 4, 10),
           ("100 generated", 10, 10), ("1,000 generated", 25, 40)]


def median_seconds(load: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        load()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure() -> list[dict]:
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-bench-content-"))
    for label, modules, per_module in FOLDERS:
        root = ROOT / "lessons" if modules is None else write_lessons(workdir / f"{modules}x{per_module}", modules, per_module)
        library = load_library(root)
        rendering = median_seconds(lambda: load_library(root))  # noqa: B023 (called in this iteration)
        results.append({"folder": label, "lessons": len(library.lessons), "problems": len(library.problems),
                        "ms": round(rendering * 1000, 1)})
        print(f"  content {label}: {results[-1]}", flush=True)
    return results
