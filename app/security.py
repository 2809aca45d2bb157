"""HTTP hardening: security headers on every response, proxy awareness, HTTPS cookies, and which
pages no browser, proxy or service worker may keep."""

from __future__ import annotations

import re

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Files or nothing: no inline script or style anywhere, nothing from another host.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
# A picture opened on its own (a lesson's SVG) runs nothing and loads nothing.
FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
HSTS = "max-age=31536000; includeSubDomains"
# No one types these; PostgreSQL refuses NUL in text, so they never reach a query.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Pages and files with other people's data (the facilitator area), with one's own personal data,
# or with a secret in their address: `Cache-Control: no-store`, decided here only. The service
# worker keeps no response that says no-store.
PRIVATE_BLUEPRINTS = {"facilitate"}
PRIVATE_ENDPOINTS = {
    "privacy.my_data", "privacy.my_data_json", "privacy.my_data_csv", "privacy.admin", "privacy.audit_csv", "auth.card",
    # The first names enrolled on this phone.
    "auth.login", "auth.picture_code",
    # An exercise's screen is one moment of a run kept on the server: a copy kept on the phone
    # would show a step already past (exercises need a connection, the offline page says so).
    "learn.exercise_screen", "learn.exercise_step", "learn.exercise_result",
}


def is_private(endpoint: str | None) -> bool:
    return endpoint is not None and (endpoint in PRIVATE_ENDPOINTS or endpoint.partition(".")[0] in PRIVATE_BLUEPRINTS)


def _has_control_characters() -> bool:
    values = [*request.args.values(), *request.form.values(), *(request.view_args or {}).values()]
    return any(isinstance(value, str) and CONTROL_CHARACTERS.search(value) for value in values)


def init_app(app: Flask) -> None:
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        # Behind a reverse proxy: trust its X-Forwarded-* headers for scheme and client address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.before_request
    def refuse_control_characters():
        if _has_control_characters():
            abort(400)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # The other headers govern a page: a style sheet, a script or a picture ignores them, and
        # they were a third of what a first visit downloaded (docs/benchmarks.md).
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            headers.setdefault("X-Frame-Options", "DENY")
            headers.setdefault("Referrer-Policy", "same-origin")
            headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
            headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
            if request.is_secure:
                headers.setdefault("Strict-Transport-Security", HSTS)
        elif response.mimetype == "image/svg+xml":
            headers.setdefault("Content-Security-Policy", FILE_CONTENT_SECURITY_POLICY)
        if is_private(request.endpoint):
            headers["Cache-Control"] = "no-store"
        return response
