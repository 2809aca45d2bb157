from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/animation")

from . import views  # noqa: E402,F401  (registers the routes)
