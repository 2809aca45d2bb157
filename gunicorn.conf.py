"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Sized for an association's small server (1 GB shared with a database and a proxy): one worker
of 8 threads answers its learners (a few requests a second) with all server processes under
150 MB. docs/deploy.md says what to change on a bigger server; docs/benchmarks.md has the
measurements.
"""

import os

wsgi_app = "app:create_app(commands=False)"  # the web server runs no `flask` command
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 (inside a container)
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Several workers (a bigger server): the master creates the app once (the lessons read and
# rendered) and forks them with its pages, and each is recycled now and then, so a slow leak never
# grows, while the others answer. One worker: a copy of the app in the master would only add its
# memory, and recycling the worker would stop the site while the app loads again.
several_workers = workers > 1
preload_app = several_workers
max_requests = 2000 if several_workers else 0
max_requests_jitter = 200
timeout = 30
# Longer than a phone's pause between two taps, so an idle connection is not closed just as
# the next request is sent on it (clients see that race as a reset connection).
keepalive = 10
graceful_timeout = 20
accesslog = None  # the app writes one structured line per request itself
errorlog = "-"
# gunicorn 27's control socket is one path per user (~/.gunicorn): two servers on a machine would share it.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """A database connection opened by the master must not be shared by its workers."""
    if not server.cfg.preload_app:
        return  # the worker creates the app itself, after the fork
    from app.extensions import db

    with server.app.wsgi().app_context():  # the app the master created (preload_app)
        db.engine.dispose(close=False)
