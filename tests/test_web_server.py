"""The web server: the app gunicorn.conf.py serves, loaded the way gunicorn loads it, and its memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import hashing

ROOT = Path(__file__).resolve().parent.parent

# In a fresh interpreter, so that what the web server imports is not hidden by what the tests imported.
SERVE_ONE_PAGE = """
import json, runpy, sys
from gunicorn.util import import_app
app = import_app(runpy.run_path("gunicorn.conf.py")["wsgi_app"])
response = app.test_client().get("/connexion")
print(json.dumps({
    "status": response.status_code,
    "loaded": sorted(name for name in ("flask_migrate", "alembic", "mako") if name in sys.modules),
    "commands": sorted(app.cli.commands),
}))
"""


def test_the_web_server_serves_without_the_command_line_tools(tmp_path):
    env = os.environ | {
        "APP_ENV": "production",
        "SECRET_KEY": "test-" + "x" * 32,
        "HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite'}",
        "INSTANCE_PATH": str(tmp_path),
    }
    # As in production: the database is upgraded by the command line, then the server starts.
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, check=True)
    result = subprocess.run(  # noqa: S603 (our own code)
        [sys.executable, "-c", SERVE_ONE_PAGE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["status"] == 200
    # Migrations are run by `flask db upgrade`, never by the server: their libraries stay out of its memory.
    assert served["loaded"] == []
    assert served["commands"] == []


def test_the_command_line_still_has_the_migrations_and_the_project_commands():
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "--help"], cwd=ROOT, capture_output=True, text=True, check=True,
        env=os.environ | {"APP_ENV": "development"},
    )
    for command in ("db", "lessons", "demo", "backup"):
        assert f"  {command} " in result.stdout


# In a fresh interpreter, whose peak memory is reset just before the sign-ins (/proc/self/clear_refs).
EIGHT_SIGN_INS_AT_ONCE = """
import threading
from werkzeug.security import generate_password_hash
from app import hashing

def kilobytes(field):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field))

stored = generate_password_hash("le vrai mot de passe", method="scrypt")
before = kilobytes("VmRSS:")
with open("/proc/self/clear_refs", "w") as peak:
    peak.write("5")
threads = [threading.Thread(target=hashing.check_password, args=(stored, "un faux")) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print((kilobytes("VmHWM:") - before) // 1024)
"""


def test_eight_sign_ins_at_once_hold_the_memory_of_the_password_checks_allowed_at_once():
    # One of the 8 threads per sign-in; each scrypt check holds 32 MB while it runs (werkzeug's parameters).
    result = subprocess.run(  # noqa: S603 (our own code)
        [sys.executable, "-c", EIGHT_SIGN_INS_AT_ONCE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    peak_growth_mb = int(result.stdout.strip().splitlines()[-1])
    assert 32 <= peak_growth_mb <= hashing.HASHES_AT_ONCE * 32 + 16  # 8 checks at once without the limit: 256 MB
