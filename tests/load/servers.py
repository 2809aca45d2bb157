"""Servers for the load and benchmark drivers: free ports, the app's environment, gunicorn and a
throwaway PostgreSQL cluster (.ci/postgres.sh), all on 127.0.0.1."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    return os.environ | {
        "APP_ENV": "production",
        "SECRET_KEY": "load-" + secrets.token_hex(16),
        "HTTPS": "0",
        "DATABASE_URL": database_url,
        # Every simulated phone signs in from 127.0.0.1: the per-address limit would stop them.
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "INSTANCE_PATH": tempfile.mkdtemp(prefix="pasapas-load-instance-"),
    } | extra


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (our own 127.0.0.1 server)
            return response.status == 200
    except OSError:
        return False


def wait_healthy(url: str, limit: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if healthy(url):
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def start_gunicorn(env: dict[str, str], log_path: Path, extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str, float]:
    """gunicorn with gunicorn.conf.py on a free 127.0.0.1 port; returns the process, its URL and the
    seconds from launching it to the first 200 on the sign-in page."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log_path, "w"),  # noqa: SIM115 (closed with the process)
    )
    while time.monotonic() - started < 30:
        try:
            with urllib.request.urlopen(f"{url}/connexion", timeout=2) as response:  # noqa: S310 (our 127.0.0.1 server)
                if response.status == 200:
                    return server, url, time.monotonic() - started
        except OSError:
            time.sleep(0.02)
    server.terminate()
    raise SystemExit(f"gunicorn did not start: see {log_path}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


@dataclass
class Postgres:
    data_dir: str
    url: str

    @classmethod
    def start(cls) -> Postgres:
        env = os.environ | {"PGPORT_TEST": str(free_port())}
        url = subprocess.run(
            ["bash", str(ROOT / ".ci" / "postgres.sh")], env=env, check=True, capture_output=True, text=True
        ).stdout.strip().splitlines()[-1]
        return cls(Path("/tmp/pgci.current").read_text().strip(), url)

    def ctl(self, action: str) -> None:
        command = f"{self.bin()}/pg_ctl -D {self.data_dir} -w -m fast {action}"
        if action == "start":
            command = f"{self.bin()}/pg_ctl -D {self.data_dir} -l {self.data_dir}/log -w start"
        subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True)

    @staticmethod
    def bin() -> Path:
        return sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
