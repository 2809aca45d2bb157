from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from ..rules import HELP_MESSAGE_MAX


class HelpForm(FlaskForm):
    """The "Je suis bloqué·e" form on every lesson page."""

    message = TextAreaField(
        _l("Votre message (facultatif)"),
        description=_l("Par exemple : je ne comprends pas la question 2."),
        validators=[
            Optional(),
            Length(max=HELP_MESSAGE_MAX, message=_l("Votre message est trop long : %(max)d caractères au plus.", max=HELP_MESSAGE_MAX)),
        ],
    )
