"""Small shared pieces of the benchmarks: the machine, Markdown tables, the CSRF field, memory."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def table(header: list[str], rows: list[list]) -> str:
    """A Markdown table; numbers are right-aligned."""

    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:,.1f}".replace(",", " ")
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", " ")
        return str(value)

    numeric = [all(isinstance(row[i], int | float) for row in rows if row[i] != "") for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def postgres_version() -> str:
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not pgbin:
        return "not installed"
    out = subprocess.run([str(pgbin[-1] / "postgres"), "--version"], capture_output=True, text=True)
    return out.stdout.strip().removeprefix("postgres (PostgreSQL) ")


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cores": str(os.cpu_count()),
        "memory": f"{memory / 1024 / 1024:.1f} GB",
        "CPU": cpu,
        "system": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": postgres_version(),
        "wrk": (wrk.stdout or wrk.stderr).split("[")[0].strip() or "not installed",
    }


@dataclass
class Memory:
    processes: int
    rss_mb: float
    pss_mb: float


def server_processes(master: int) -> list[int]:
    """The master and all its descendants."""
    pids, todo = [], [master]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        todo += [int(child) for child in out.stdout.split()]
    return pids


def memory(master: int) -> Memory:
    rss = pss = 0
    pids = server_processes(master)
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, value = line.partition(":")
            if name == "Rss":
                rss += int(value.split()[0])
            elif name == "Pss":
                pss += int(value.split()[0])
    return Memory(len(pids), round(rss / 1024, 1), round(pss / 1024, 1))
