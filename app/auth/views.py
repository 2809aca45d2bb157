"""Sign-in with a password or a card, sign-out, and sign-out everywhere."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..extensions import limiter
from ..forms import form_status
from . import bp, services
from .forms import CardForm, LoginForm
from .throttle import SignInPaused

VOWELS = "aeiouyhàâäéèêëîïôöùûü"


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never send someone to another host after sign-in."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(c in target for c in "\\\r\n\t") or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _refused(response) -> bool:
    """A wrong password or an unknown card counts towards the address's limit; a server error does not."""
    return response.status_code in (404, 422)


def home_for(user) -> str:
    return url_for("facilitate.home") if user.is_staff else url_for("learn.home")


def of_name(name: str) -> str:
    """ "d'Amina", "de Zoé": French elides "de" before a vowel."""
    return f"d'{name}" if name[:1].lower() in VOWELS else f"de {name}"


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_refused)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except SignInPaused as paused:
            flash(ngettext("Trop d'essais avec ce mot de passe. Attendez %(num)d minute, ou connectez-vous avec votre carte.",
                           "Trop d'essais avec ce mot de passe. Attendez %(num)d minutes, ou connectez-vous avec votre carte.",
                           paused.minutes), "error")
            status = 429
        else:
            if user is not None:
                services.sign_in(user, remember=form.remember.data)
                return redirect(safe_next(request.args.get("next")) or home_for(user))
            flash(_("Identifiant ou mot de passe incorrect. Vérifiez et réessayez."), "error")
    return render_template("auth/login.html", form=form), status or form_status(form)


@bp.post("/deconnexion")
@login_required
def logout():
    # One token per person: this ends the person's sessions on every phone and computer, which is
    # also what "Se déconnecter partout" on Mes données offers (for a phone lost or left signed in).
    services.sign_out(current_user)
    flash(_("Vous êtes déconnecté, sur ce téléphone et partout ailleurs. À bientôt !"), "info")
    return redirect(url_for("auth.login"))


# Sign-in cards: the QR code opens a page; its button signs in (a POST, so a card scanned on a
# phone where someone is signed in never replaces their session without asking).


def _expired_card():
    return render_template(
        "errors/error.html", code=404, title=_("Carte périmée"),
        message=_("Cette carte ne marche plus. Demandez une nouvelle carte à votre animatrice ou à votre animateur."),
    ), 404


@bp.get("/connexion/carte/<token>")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], deduct_when=_refused)
def card(token: str):
    owner = services.user_for_card_token(token)
    if owner is None:
        return _expired_card()
    if current_user.is_authenticated and current_user.id == owner.id:
        return redirect(home_for(owner))
    form = CardForm(token=token)
    signed_in = current_user if current_user.is_authenticated else None
    response = current_app.make_response(render_template("auth/card.html", form=form, owner=owner, signed_in=signed_in, of_name=of_name))
    # The address holds the secret: the button's request must not carry it in its Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/connexion/carte")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], deduct_when=_refused)
def card_sign_in():
    form = CardForm()
    owner = services.user_for_card_token(form.token.data or "") if form.validate_on_submit() else None
    if owner is None:
        return _expired_card()
    services.record_card_use(owner)
    services.sign_in(owner, remember=True)
    return redirect(home_for(owner))
