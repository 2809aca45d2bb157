"""Sign-in cards: the QR code's address and the sign-in it opens.

The card's token is secret (secrets.token_urlsafe), stored hashed (sha256) and
replaced whenever cards are printed again; scanning it signs the person in on
that phone with a long-lived remember cookie.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from ..auth.services import record_sign_in
from ..extensions import limiter
from . import services

bp = Blueprint("cards", __name__)


def base_url() -> str:
    """The platform's public address: BASE_URL when set (behind a proxy, on cards printed
    elsewhere), else the address this request came to. Without a trailing slash."""
    return (current_app.config.get("BASE_URL") or request.host_url).rstrip("/")


def platform_address() -> str:
    """The address as a person types it in a browser: without "https://"."""
    return base_url().split("://", 1)[-1]


def card_url(token: str) -> str:
    return base_url() + url_for("cards.sign_in", token=token)


def qr_svg(url: str, title: str) -> str:
    """The QR code as inline SVG markup (a path with presentation attributes, no style)."""
    import segno  # only the cards page needs it: not loaded in every web worker

    return segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, title=title, dark="#000", light="#fff"
    )


def _failed(response) -> bool:
    return response.status_code != 302


@bp.get("/connexion/carte/<token>")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], deduct_when=_failed)
def sign_in(token: str):
    user = services.user_for_card_token(token)
    if user is None:
        return render_template(
            "errors/error.html", code=404, title=_("Carte périmée"),
            message=_("Cette carte ne marche plus. Demandez une nouvelle carte à votre animatrice ou à votre animateur."),
        ), 404
    session.clear()  # a new session at sign-in
    login_user(user, remember=True)
    record_sign_in(user)
    return redirect(url_for("facilitate.home") if user.is_staff else url_for("learn.home"))
