"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Sized for an association's small server (1 GB shared with a database and a proxy): 2 workers of
4 threads answer as many requests as 4 workers of 2 on 2 cores, in about half the memory; the
master creates the app once (preload_app) and the workers share its pages. docs/deploy.md says
what to change on a bigger server; docs/benchmarks.md has the measurements.
"""

import os

wsgi_app = "app:create_app()"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 (inside a container)
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The lessons are read and rendered once, in the master, and every worker forks with them.
preload_app = True
timeout = 30
# Longer than a phone's pause between two taps, so an idle connection is not closed just as
# the next request is sent on it (clients see that race as a reset connection).
keepalive = 10
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then, so a slow leak never grows
max_requests_jitter = 200
accesslog = None  # the app writes one structured line per request itself
errorlog = "-"
# gunicorn 27's control socket is one path per user (~/.gunicorn): two servers on a machine would share it.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """A database connection opened by the master must not be shared by its workers."""
    from app.extensions import db

    with server.app.wsgi().app_context():  # the app the master created (preload_app)
        db.engine.dispose(close=False)
