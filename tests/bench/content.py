"""Part 3 and 4 (content): time to load a lessons folder with app.content.load_library.

Three figures per folder: rendering every lesson without the cache; the first start with an empty
cache (rendering, the cache key over every file's content, writing the entry); and a start that
finds the entry (the key, then reading the entry), which is what each worker and each restart
pays while the lesson files and the code stay the same.
"""

from __future__ import annotations

import shutil
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


def median_seconds(load: Callable[[], object], runs: int = 3, before_each: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(runs):
        before_each()
        started = time.perf_counter()
        load()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure() -> list[dict]:
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="pasapas-bench-content-"))
    for label, modules, per_module in FOLDERS:
        root = ROOT / "lessons" if modules is None else write_lessons(workdir / f"{modules}x{per_module}", modules, per_module)
        cache_dir = workdir / f"cache-{modules}x{per_module}"
        library = load_library(root)
        rendering = median_seconds(lambda: load_library(root))  # noqa: B023 (called in this iteration)
        first_start = median_seconds(
            lambda: load_library(root, cache_dir=cache_dir),  # noqa: B023
            before_each=lambda: shutil.rmtree(cache_dir, ignore_errors=True),  # noqa: B023
        )
        cached = median_seconds(lambda: load_library(root, cache_dir=cache_dir))  # noqa: B023
        results.append({
            "folder": label, "lessons": len(library.lessons), "problems": len(library.problems),
            "ms": round(rendering * 1000, 1), "first_start_ms": round(first_start * 1000, 1),
            "cached_ms": round(cached * 1000, 1),
        })
        print(f"  content {label}: {results[-1]}", flush=True)
    return results
