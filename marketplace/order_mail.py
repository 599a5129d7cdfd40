"""The mails of a paid order: a confirmation to the buyer, "new order" to each cooperative.

Each mail is written in its reader's language: the buyer's is the one they ordered in, a
member's the one they use Souk in.
"""

import logging

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from artisans.models import Membership
from artisans.owner_mail import mail_language, site_url
from marketplace.models import Order
from marketplace.orders import order_path, orders_for_page, summarize_order

logger = logging.getLogger(__name__)


def order_paid_mails(order: Order) -> list[EmailMessage]:
    """Write the buyer's confirmation and one "new order" mail per cooperative member."""
    summary = summarize_order(order)
    with translation.override(mail_language(order.language)):
        context = {
            "order": order,
            "summary": summary,
            # A guest has no account: the signed link is their way back to the order.
            "url": site_url(order_path(order, signed=order.user_id is None)),
        }
        messages = [
            EmailMessage(
                gettext("Your Souk order %(number)s is confirmed") % {"number": order.number},
                render_to_string("marketplace/email/order_confirmation.txt", context),
                to=[order.email],
            )
        ]
    by_cooperative = {part.shipment.cooperative_id: part for part in summary.shipments}
    members = (
        Membership.objects.filter(cooperative_id__in=by_cooperative, user__is_active=True)
        .select_related("user")
        .order_by("cooperative_id", "pk")
    )
    for membership in members:
        part = by_cooperative[membership.cooperative_id]
        with translation.override(mail_language(membership.user.language)):
            subject = gettext("New order %(number)s for %(cooperative)s") % {
                "number": order.number,
                "cooperative": part.shipment.cooperative.name,
            }
            body = render_to_string(
                "marketplace/email/new_order.txt", {"order": order, "part": part}
            )
        messages.append(EmailMessage(subject, body, to=[membership.user.email]))
    return messages


def send_order_paid_mails(order_id: int) -> int:
    """Send the mails of a paid order; return how many left."""
    order = orders_for_page().get(pk=order_id)
    return get_connection().send_messages(order_paid_mails(order)) or 0


def mail_order_paid_on_commit(order_id: int) -> None:
    """Send the paid order's mails once the transaction commits; a failure is logged."""

    def send_order_paid() -> None:  # named: Django's robust on_commit logs its __qualname__
        send_order_paid_mails(order_id)

    # robust: a mail server down must not undo, or turn into an error, a payment recorded.
    transaction.on_commit(send_order_paid, robust=True)
