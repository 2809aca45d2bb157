"""Facilitator area: reachable by facilitators and admins only."""

from flask import render_template

from .. import reports
from ..auth.access import staff_required
from . import bp


@bp.get("/")
@staff_required
def home():
    return render_template("facilitate/home.html", groups=reports.group_overview())
