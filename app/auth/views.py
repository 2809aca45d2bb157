"""Sign-in with a password, a card or (on a phone enrolled by the card) a picture code; sign-out."""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..forms import form_status
from ..models import User
from ..rules import PEOPLE_PER_PHONE, PICTURE_CODE_LENGTH
from . import bp, phones, pictures, services
from .forms import CardForm, LoginForm, PictureForm
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
    enrolled, stale = phones.enrolled_here()
    people = [(device, db.session.get(User, device.user_id)) for device in enrolled]
    response = current_app.make_response((render_template("auth/login.html", form=form, people=people), status or form_status(form)))
    phones.forget_cookies(response, stale)
    return response


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
    response = current_app.make_response(render_template(
        "auth/card.html", form=form, owner=owner, signed_in=signed_in, of_name=of_name, enrolled=phones.of_user_here(owner) is not None,
    ))
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
    remember = form.remember.data
    services.sign_in(owner, remember=remember)
    response = redirect(home_for(owner))
    device = phones.of_user_here(owner)
    if device is not None:
        phones.card_scanned_on(device, keep_signed_in=remember)
    elif form.enrol.data == "1":
        enrolled = phones.enrol(owner, keep_signed_in=remember)
        if enrolled is None:
            flash(_("Ce téléphone garde déjà %(num)d personnes : il ne peut pas en garder une de plus.", num=PEOPLE_PER_PHONE), "error")
        else:
            phones.set_cookie(response, *enrolled)
            flash(_("Ce téléphone est à vous, %(name)s. La prochaine fois, touchez votre prénom puis vos images.", name=owner.first_name), "success")
    return response


# Picture codes: only on a phone enrolled by the card (auth/phones.py). Each tap is a POST that
# adds a picture to the code so far, kept in the session (never in the page) until it is whole.

ENTRY_KEY = "picture_entry"


def _unknown_phone():
    return render_template(
        "errors/error.html", code=404, title=_("Page introuvable"),
        message=_("Ce téléphone ne connaît pas ce compte. Scannez votre carte, ou demandez à votre animatrice ou à votre animateur."),
    ), 404


def _entry_so_far(device_id: int) -> list[str]:
    saved = session.get(ENTRY_KEY)
    if not isinstance(saved, dict) or saved.get("device") != device_id:
        return []
    return [i for i in saved.get("pictures", []) if i in pictures.BY_ID][: PICTURE_CODE_LENGTH - 1]


def _picture_page(device, owner, form, entered: int, status: int = 200):
    return render_template(
        "auth/pictures.html", device=device, owner=owner, form=form, entered=entered, pictures=pictures.PICTURES,
        locked=phones.is_locked(device), has_code=bool(owner.picture_code_hash),
    ), status


@bp.route("/connexion/images/<int:device_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_refused)
def picture_code(device_id: int):
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    device = phones.here(device_id)
    if device is None:
        return _unknown_phone()
    owner = db.session.get(User, device.user_id)
    form = PictureForm()
    entry = _entry_so_far(device_id)
    if request.method == "GET" or phones.is_locked(device) or not owner.picture_code_hash:
        return _picture_page(device, owner, form, len(entry), 403 if request.method == "POST" else 200)
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        flash(_("Touchez une des images."), "error")
        return _picture_page(device, owner, form, len(entry), 422)
    if form.clear.data == "1":
        session.pop(ENTRY_KEY, None)
        return redirect(url_for("auth.picture_code", device_id=device_id))
    entry.append(form.picture.data)
    if len(entry) < PICTURE_CODE_LENGTH:
        session[ENTRY_KEY] = {"device": device_id, "pictures": entry}
        return redirect(url_for("auth.picture_code", device_id=device_id))
    session.pop(ENTRY_KEY, None)
    answer = phones.try_code(device, entry)
    if answer.outcome is phones.Outcome.RIGHT:
        services.sign_in(owner, remember=device.keep_signed_in)
        response = redirect(home_for(owner))
        phones.renew_cookie(response, device)
        return response
    if answer.outcome is phones.Outcome.WRONG:
        flash(ngettext("Ce ne sont pas les bonnes images. Il vous reste %(num)d essai.",
                       "Ce ne sont pas les bonnes images. Il vous reste %(num)d essais.", answer.tries_left), "error")
    db.session.refresh(device)
    return _picture_page(device, owner, form, 0, 422)
