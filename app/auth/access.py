"""Role checks, done on the server for every protected route."""

from functools import wraps

from flask import abort, current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ..extensions import limiter
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


def _person_key() -> str:
    return f"person:{current_user.id}" if current_user.is_authenticated else get_remote_address()


# Shared by every route where a participant writes: a person, not an address (a workshop room
# shares one), repeats at most WRITE_RATE_LIMIT writes.
write_limit = limiter.shared_limit(lambda: current_app.config["WRITE_RATE_LIMIT"], scope="participant-writes", key_func=_person_key)
