from flask import Blueprint

bp = Blueprint("learn", __name__)

from . import exercises, views  # noqa: E402,F401  (registers the routes)
