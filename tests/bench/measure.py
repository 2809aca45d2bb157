"""Small shared pieces of the benchmarks: the machine, Markdown tables, the CSRF field, RSS."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
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


def rss_mb(pid: int) -> float:
    """VmRSS of a process, in MB (from /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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
