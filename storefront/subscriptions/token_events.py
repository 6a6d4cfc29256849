"""Smartpay's token events, as the 定期便 hears them: registered with the webhook inbox by `init_app`."""
from ..i18n import shop_day
from ..models import utcnow
from ..smartpay.client import SmartpayError
from ..smartpay.gateway import smartpay
from . import service
from .statuses import TokenEventResult

TOKEN_EVENTS = {"token.disabled", "token.deleted", "token.enabled"}  # a 定期便's agreement changed at Smartpay


def token_changed(data) -> tuple[TokenEventResult, dict]:
    """A 定期便's token was disabled, enabled or deleted at Smartpay: asked again (an event may arrive after the
    token changed back), its subscription pauses, resumes or ends to match, and the shopper is told."""
    token_id = str(data.get("id", ""))[:80] if isinstance(data, dict) else ""
    try:
        status = smartpay().get_token(token_id)["status"]
    except SmartpayError as error:
        if error.status_code != 404:
            raise
        status = "deleted"  # Smartpay forgets a deleted token: token.not-found
    subscription = service.token_changed(token_id, status, shop_day(utcnow()))
    if subscription is None:
        return TokenEventResult.UNKNOWN_TOKEN, {"id": token_id}
    return TokenEventResult.SUBSCRIPTION_STOPPED, {"subscription": subscription.customer["email"],
                                                   "to": subscription.status}
