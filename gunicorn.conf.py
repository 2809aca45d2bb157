"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`."""

import multiprocessing
import os
import subprocess
import sys

wsgi_app = "app:create_app()"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 (inside a container)
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
# Longer than a phone's pause between two taps, so an idle connection is not closed just as
# the next request is sent on it (clients see that race as a reset connection).
keepalive = 10
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then, so a slow leak never grows
max_requests_jitter = 200
accesslog = None  # the app writes one structured line per request itself
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Render the lessons into the cache (LESSON_CACHE_DIR) once, in a process of its own, before
    the workers start: each worker then reads them instead of rendering them, which is faster on a
    first start and spares every worker the renderer's memory (docs/benchmarks.md). A failure here
    only costs that: the workers render for themselves, and report any error."""
    subprocess.run([sys.executable, "-c", "from app import create_app; create_app()"], check=False)  # noqa: S603
