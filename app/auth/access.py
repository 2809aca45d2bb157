"""Role checks, done on the server for every protected route."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..models import Role


def staff_required(view):
    """Facilitators and admins only; anyone else gets a 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Admins only; anyone else gets a 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role is not Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
