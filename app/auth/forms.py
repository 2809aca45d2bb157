from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from .pictures import BY_ID
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
    # « Ce téléphone est à Amina ? »: the button pressed, "1" enrols this phone, "0" does not.
    enrol = HiddenField(validators=[Optional(), AnyOf(("0", "1"))])
    remember = BooleanField(_l("Garder mon compte ouvert sur ce téléphone"), default=True)


class PictureForm(FlaskForm):
    """One tap on the picture code page: a picture (its button's value), or « Effacer »."""

    picture = HiddenField()
    clear = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.clear.data == "1" or self.picture.data in BY_ID:
            return True
        self.picture.errors = [_l("Touchez une des images.")]
        return False
