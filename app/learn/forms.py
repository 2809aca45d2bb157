from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional, Regexp

from ..content import Module
from ..formats import CALL_BACK_WORDS
from ..models import KnowHow
from ..rules import CALL_BACK_TIMES, HELP_MESSAGE_MAX, HELP_PHONE_MAX

# When to call back, in the words a participant reads.
CALL_BACK_CHOICES = [SelectChoice(key, CALL_BACK_WORDS[key]) for key in ("", *CALL_BACK_TIMES)]


class HelpForm(FlaskForm):
    """« J'ai besoin d'aide »: a facilitator of the learner's group calls back."""

    message = TextAreaField(
        _l("Votre message (facultatif)"),
        description=_l("Par exemple : je ne comprends pas la question 2."),
        validators=[
            Optional(),
            Length(max=HELP_MESSAGE_MAX, message=_l("Votre message est trop long : %(max)d caractères au plus.", max=HELP_MESSAGE_MAX)),
        ],
    )
    phone = StringField(
        _l("Votre numéro de téléphone (facultatif)"),
        description=_l("Si vous voulez être appelée ou appelé à un autre numéro que d'habitude."),
        validators=[
            Optional(),
            Length(max=HELP_PHONE_MAX, message=_l("Ce numéro est trop long.")),
            Regexp(r"^\+?[0-9][0-9 .]{8,}[0-9]$", message=_l("Écrivez un numéro de téléphone, par exemple 06 12 34 56 78.")),
        ],
    )
    call_back_time = RadioField(
        _l("Quand vous appeler ?"),
        choices=CALL_BACK_CHOICES,
        default="",
        filters=[lambda value: (value or "").strip()],
        validate_choice=False,  # checked below, with a message in French
        validators=[
            Optional(),
            AnyOf([choice.value for choice in CALL_BACK_CHOICES], message=_l("Choisissez un des moments proposés.")),
        ],
    )


def statement_field(index: int) -> str:
    return f"je-sais-{index}"


def read_self_assessment(module: Module, form) -> tuple[dict[int, KnowHow], list[int]]:
    """The answers chosen on the « Je sais … » page, and the statements left without one (an
    unknown value, which no button of ours sends, counts as none)."""
    values = {answer.value: answer for answer in KnowHow}
    answers = {
        index: values[form.get(statement_field(index))]
        for index in range(len(module.self_assessment)) if form.get(statement_field(index)) in values
    }
    return answers, [index for index in range(len(module.self_assessment)) if index not in answers]
