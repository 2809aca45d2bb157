"""Pages open to everyone: accessibility statement, offline fallback, service worker, favicon."""

from __future__ import annotations

import hashlib

from flask import current_app, render_template, request, send_from_directory, url_for

from . import bp

# What the service worker keeps from its installation on, so the app opens without a connection
# (not the manifest: the browser reads it when online, to offer installing the app).
SHELL_FILES = ("css/app.css", "js/app.js", "icons/favicon.svg")


@bp.get("/accessibilite")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/hors-ligne")
def offline():
    return render_template("pages/offline.html")


@bp.get("/sw.js")
def service_worker():
    # Served from the root so its scope is the whole site; its text names the current hashed
    # files, so a new version of them installs a new service worker.
    shell = [url_for("static", filename=name) for name in SHELL_FILES]
    offline_url = url_for("pages.offline")
    version = hashlib.sha256(" ".join(shell).encode()).hexdigest()[:10]
    never_kept = [url_for("facilitate.home"), url_for("auth.login"), url_for("privacy.my_data")]
    # An exercise's step is a form sent to the server: without a connection, the offline page says why.
    needs_connection = [url_for("learn.exercise", scenario_id="-").removesuffix("-")]
    # Without the context processors: the same text for everyone, and no user loaded for it.
    body = current_app.jinja_env.get_template("pages/sw.js").render(
        shell=shell, offline_url=offline_url, never_kept=never_kept, needs_connection=needs_connection, version=version
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Content-Security-Policy"] = "default-src 'self'"  # the worker's own policy
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "icons/favicon.ico", max_age=7 * 24 * 3600)
