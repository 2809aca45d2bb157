"""Part 3 and 4 (content): time to load and render a lessons folder with app.content.load_library."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from app.content import load_library
from tests.facilitate_helpers import write_lessons

from .measure import ROOT

# (label, modules, lessons per module); None: the real lessons/ folder.
FOLDERS = [("lessons/ (the real course)", None, None), ("10 generated", 1, 10), ("40 generated", 4, 10),
           ("100 generated", 10, 10), ("1,000 generated", 25, 40)]


def time_load(root: Path, runs: int = 3) -> tuple[float, int, int]:
    """Median seconds of `runs` loads, with the number of lessons and of problems found."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        library = load_library(root)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(library.lessons), len(library.problems)


def measure() -> list[dict]:
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-bench-content-"))
    for label, modules, per_module in FOLDERS:
        root = ROOT / "lessons" if modules is None else write_lessons(workdir / f"{modules}x{per_module}", modules, per_module)
        seconds, lessons, problems = time_load(root)
        results.append({"folder": label, "lessons": lessons, "ms": round(seconds * 1000, 1), "problems": problems})
        print(f"  content {label}: {results[-1]}", flush=True)
    return results
