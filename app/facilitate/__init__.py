from flask import Blueprint

bp = Blueprint("facilitate", __name__, url_prefix="/animation")

from . import views  # noqa: E402,F401  (registers the routes)
from .cards import bp as cards_bp  # noqa: E402
from .passwords import password_parts  # noqa: E402

bp.add_app_template_global(password_parts)


@bp.record_once
def _register_card_sign_in(state) -> None:
    # The card's QR code opens /connexion/carte/<token>, outside /animation.
    state.app.register_blueprint(cards_bp)
