"""A report's figures and how they are shown: the one place of the small-numbers rule.

Every figure says over how many people it was computed (`Figure.people`): a count of people over
themselves, a sum (hours, attendances, lessons, steps) over the people it adds up. Below
rules.REPORT_MIN_PEOPLE people — zero included — it is shown as « moins de 5 », on the page and in
the CSV alike. Figures about the association's offer (groups, workshops held, hours offered) are
not about people and always shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..formats import decimal
from ..rules import REPORT_MIN_PEOPLE

# The words of the French digital-inclusion reporting (docs/impact-report.md).
COLLECTIVE = "Collectif (atelier)"
AUTONOMOUS = "En autonomie (à distance)"


@dataclass(frozen=True)
class Figure:
    """One figure and the number of people it was computed over (None: not about people)."""

    value: int | float
    people: int | None = None

    @property
    def hidden(self) -> bool:
        return self.people is not None and self.people < REPORT_MIN_PEOPLE

    @property
    def text(self) -> str:
        if self.hidden:
            return _("moins de %(num)d", num=REPORT_MIN_PEOPLE)
        return decimal(self.value) if isinstance(self.value, float) else str(self.value)

    @property
    def shown(self) -> int | float:
        """The value a chart may draw: 0 when it is hidden."""
        return 0 if self.hidden else self.value


def people(count: int) -> Figure:
    """A count of people: computed over those very people."""
    return Figure(count, count)


def hours(seconds: int, over: int) -> Figure:
    return Figure(round(seconds / 3600, 1), over)


@dataclass(frozen=True)
class Row:
    indicator: str
    figure: Figure | str
    kind: str = ""  # « Type d'accompagnement »: collective (a workshop), autonomous (at home), or none
    theme: str = ""  # « Thématique »: a module's title

    @property
    def text(self) -> str:
        return self.figure if isinstance(self.figure, str) else self.figure.text


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]
    data: dict = field(default_factory=dict)
