from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/animation")

from . import views, workshop_views  # noqa: E402,F401  (registers the routes)
from .passwords import password_parts  # noqa: E402

bp.add_app_template_global(password_parts)
