"""Facilitator forms: Flask-WTF with CSRF; every message in French."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    DateField,
    FieldList,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.pictures import PICTURES
from ..formats import AUTONOMY_WORDS
from ..forms import id_number
from ..models import AutonomyLevel
from ..rules import FIRST_NAME_MAX, FOLLOW_UP_NOTE_MAX, GROUP_NAME_MAX, LAST_NAME_MAX, PICTURE_CODE_LENGTH


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ParticipantForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"), validators=[InputRequired(_l("Écrivez le prénom.")), Length(max=FIRST_NAME_MAX, message=_l("%(max)d caractères au plus.", max=FIRST_NAME_MAX))]
    )
    last_name = StringField(
        _l("Nom ou initiale (facultatif)"), validators=[Optional(), Length(max=LAST_NAME_MAX, message=_l("%(max)d caractères au plus.", max=LAST_NAME_MAX))]
    )


class ImportForm(FlaskForm):
    names = TextAreaField(
        _l("Collez la liste : un prénom par ligne"),
        description=_l("Par exemple « Amina », « Amina D. » ou « Amina Diallo ». Seule l'initiale du nom est gardée."),
        validators=[Optional(), Length(max=100_000, message=_l("La liste est trop longue."))],
    )
    file = FileField(
        _l("Ou choisissez un fichier CSV"),
        description=_l("Colonnes « prénom » et « nom », séparées par ; ou par une virgule."),
        validators=[FileAllowed(["csv", "txt"], _l("Choisissez un fichier .csv ou .txt."))],
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.names.data or "").strip() and not self.file.data:
            self.names.errors.append(_l("Collez une liste de prénoms ou choisissez un fichier."))
            return False
        return True


class CardsForm(FlaskForm):
    learners = MultiCheckboxField(_l("Cartes à imprimer"), coerce=id_number)
    passwords = RadioField(
        _l("Mots de passe"),
        choices=[
            SelectChoice("keep", _l("Garder les mots de passe (la carte a une ligne pour l'écrire à la main)")),
            SelectChoice("new", _l("Mettre un nouveau mot de passe sur chaque carte (l'ancien ne marchera plus)")),
        ],
        default="keep",
        validators=[InputRequired(_l("Choisissez une option."))],
    )
    picture_codes = RadioField(
        _l("Codes en images"),
        choices=[
            SelectChoice("new", _l("Mettre un nouveau code en images sur chaque carte (l'ancien ne marchera plus)")),
            SelectChoice("keep", _l("Garder les codes en images (la carte a des cases pour les dessiner)")),
        ],
        default="new",
        validators=[InputRequired(_l("Choisissez une option."))],
    )

    def validate_learners(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Cochez au moins une personne."))


class FollowUpForm(FlaskForm):
    note = TextAreaField(
        _l("Note (facultatif)"),
        description=_l("Par exemple : « Rappelée, elle refait la leçon 3 jeudi. »"),
        validators=[Optional(), Length(max=FOLLOW_UP_NOTE_MAX, message=_l("%(max)d caractères au plus."))],
        render_kw={"rows": 2},
    )


class CertificateForm(FlaskForm):
    """Typed on the attestation's page and printed, never stored."""

    class Meta:
        csrf = False  # a GET form: it only changes what is printed

    full_name = StringField(
        _l("Nom complet à imprimer (facultatif, il n'est pas enregistré)"),
        description=_l("Par exemple pour France Travail : « Samira El Amrani »."),
        validators=[Optional(), Length(max=160, message=_l("160 caractères au plus."))],
    )


class PictureCodeForm(FlaskForm):
    """The facilitator's choice of picture code, picture by picture; or « Tirer au hasard »."""

    pictures = FieldList(
        SelectField(choices=choices([("", _l("Choisir…"))] + [(p.id, p.name) for p in PICTURES]),
                    validators=[InputRequired(_l("Choisissez une image."))]),
        min_entries=PICTURE_CODE_LENGTH, max_entries=PICTURE_CODE_LENGTH,
    )
    random = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        if self.random.data == "1":  # the pictures are drawn: the menus are not read
            return self.csrf_token.validate(self)
        return super().validate(extra_validators)


class ImpactForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it only reads

    start = DateField(_l("Du"), validators=[DataRequired(_l("Écrivez la date de début (jj/mm/aaaa)."))])
    end = DateField(_l("Au"), validators=[DataRequired(_l("Écrivez la date de fin (jj/mm/aaaa)."))])
    groups = MultiCheckboxField(_l("Groupes"), coerce=id_number)

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("La date de fin doit être après la date de début."))
        if self.start.data and field.data and field.data - self.start.data > timedelta(days=3 * 366):
            raise ValidationError(_l("Choisissez une période de trois ans au plus."))

    def validate_groups(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Cochez au moins un groupe."))

    @staticmethod
    def default_period(today: date) -> tuple[date, date]:
        return date(today.year, 1, 1), today


class GroupForm(FlaskForm):
    name = StringField(
        _l("Nom du groupe"),
        validators=[InputRequired(_l("Écrivez le nom du groupe.")), Length(max=GROUP_NAME_MAX, message=_l("%(max)d caractères au plus.", max=GROUP_NAME_MAX))],
    )


class FacilitatorForm(FlaskForm):
    username = StringField(
        _l("Identifiant"),
        validators=[InputRequired(_l("Écrivez un identifiant.")), Length(max=64, message=_l("64 caractères au plus."))],
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    first_name = StringField(
        _l("Prénom"), validators=[InputRequired(_l("Écrivez le prénom.")), Length(max=FIRST_NAME_MAX, message=_l("%(max)d caractères au plus.", max=FIRST_NAME_MAX))]
    )


class AssignForm(FlaskForm):
    facilitators = MultiCheckboxField(_l("Animatrices et animateurs du groupe"), coerce=id_number)



def autonomy_choices() -> list[SelectChoice]:
    """The ladder's four rungs, lowest first, in words."""
    return [SelectChoice(level.value, AUTONOMY_WORDS[level.value]) for level in AutonomyLevel]


class LadderForm(FlaskForm):
    """One of the four rungs, for one learner and one procedure (her page's big buttons)."""

    level = RadioField(
        _l("Marche atteinte"), choices=autonomy_choices, validate_choice=False,
        validators=[InputRequired(_l("Choisissez une des 4 marches.")), AnyOf([level.value for level in AutonomyLevel], message=_l("Choisissez une des 4 marches."))],
    )


class GroupLadderForm(LadderForm):
    """A rung on one procedure for several learners of a group at once (a workshop)."""

    procedure = SelectField(_l("Démarche"), validate_choice=False)
    learners = MultiCheckboxField(_l("Qui l'a atteinte ?"), coerce=id_number)

    def validate_procedure(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choisissez une démarche de la liste."))

    def validate_learners(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Cochez au moins une personne."))
