"""The legal pages: what they say comes from the settings (legal/settings.py) and the shop's own rules (shipping,
payment methods, 定期便), so a changed fee or method shows here the moment it changes at the checkout."""
from flask import Blueprint, current_app, render_template

from ..checkout.methods import offered
from ..config import feature_on

bp = Blueprint("legal", __name__, url_prefix="/legal")


@bp.get("/commerce")
def commerce():
    """特定商取引法に基づく表記 (Act on Specified Commercial Transactions, article 11)."""
    return render_template("legal/commerce.html", methods=offered(),
                           subscriptions=feature_on(current_app.config, "subscriptions"))


@bp.get("/privacy")
def privacy():
    return render_template("legal/privacy.html")


@bp.get("/returns")
def returns():
    return render_template("legal/returns.html")


@bp.get("/contact")
def contact():
    return render_template("legal/contact.html")
