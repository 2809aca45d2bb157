"""Part 3 and 4 (content): time to load a lessons folder with app.content.load_library, and to render it.

The median of 3 runs for each folder of: reading and checking every lesson (load_library, what a
start pays), then rendering every text of every lesson to HTML (what the first visits of the
lessons pay between them, each lesson's texts on its own first visit).
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.content import Library, load_library
from tests.facilitate_helpers import write_lessons

from .measure import ROOT

# (label, modules, lessons per module); None: the real lessons/ folder.
FOLDERS = [("lessons/ (the real course)", None, None), ("10 generated", 1, 10), ("40 generated", 4, 10),
           ("100 generated", 10, 10), ("1,000 generated", 25, 40)]


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def render_every_text(library: Library) -> int:
    """The characters of HTML the learners would be sent, over every lesson."""
    return sum(len(text.html) for lesson in library.ordered_lessons for text in lesson.texts())


def measure(runs: int = 3) -> list[dict]:
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-bench-content-"))
    for label, modules, per_module in FOLDERS:
        root = ROOT / "lessons" if modules is None else write_lessons(workdir / f"{modules}x{per_module}", modules, per_module)
        loads, renders = [], []
        for _ in range(runs):
            libraries: list[Library] = []
            # Each run starts from a clean heap, as a start does: the run before's rendered library
            # left for the collector made the 1,000 lessons' load look worse than linear.
            gc.collect()
            loads.append(seconds(lambda: libraries.append(load_library(root))))  # noqa: B023 (called in this iteration)
            renders.append(seconds(lambda: render_every_text(libraries[0])))  # noqa: B023 (called in this iteration)
        library = libraries[0]
        results.append({"folder": label, "lessons": len(library.lessons), "problems": len(library.problems),
                        "ms": round(statistics.median(loads) * 1000, 1),
                        "render_ms": round(statistics.median(renders) * 1000, 1)})
        print(f"  content {label}: {results[-1]}", flush=True)
    return results
