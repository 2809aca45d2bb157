from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from .services import CARD_TOKEN_MAX_LENGTH


class LoginForm(FlaskForm):
    username = StringField(
        _l("Identifiant"),
        validators=[InputRequired(_l("Écrivez votre identifiant.")), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(_l("Écrivez votre mot de passe.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Rester connecté sur ce téléphone"), default=True)


class CardForm(FlaskForm):
    """The card's token, sent back by the card page's button (a POST: it never reaches a URL)."""

    token = HiddenField(validators=[InputRequired(), Length(max=CARD_TOKEN_MAX_LENGTH)])
