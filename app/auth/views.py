from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from . import bp
from .forms import LoginForm
from .services import authenticate, record_sign_in


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never send someone to another host after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _failed(response) -> bool:
    """Only failed sign-ins count towards the limits."""
    return response.status_code != 302


def _account_key() -> str:
    """Attempts on one account, whatever address they come from."""
    return "account:" + request.form.get("username", "").strip().lower()[:64]


def _home_for(user) -> str:
    return url_for("facilitate.home") if user.is_staff else url_for("learn.home")


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], methods=["POST"], key_func=_account_key, deduct_when=_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            session.clear()  # a new session at sign-in
            login_user(user, remember=form.remember.data)
            record_sign_in(user)
            return redirect(_safe_next(request.args.get("next")) or _home_for(user))
        flash(_("Identifiant ou mot de passe incorrect. Vérifiez et réessayez."), "error")
    status = 422 if form.errors or request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/deconnexion")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté. À bientôt !"), "info")
    return redirect(url_for("auth.login"))
