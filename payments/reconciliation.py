"""`manage.py reconcile_payments`: attempts whose outcome Souk does not know, settled.

An attempt stays open when the processor did not answer, when the buyer left during 3-D
Secure, or when a webhook was lost. This asks the processor about each one and applies its
answer through the same transitions as the buyer's return and the webhooks (charging.py).
"""

import logging
from datetime import timedelta

from django.utils import timezone

from marketplace.models import OrderStatus
from payments import gateway
from payments.charging import (
    OPEN_STATUSES,
    apply_intent,
    look_for_lost_intent,
    settle_succeeded,
)
from payments.models import Payment, PaymentStatus

logger = logging.getLogger(__name__)

# A 3-D Secure check left this long is abandoned: its PaymentIntent is cancelled.
ABANDONED_AFTER = timedelta(hours=1)


def reconcile_payments() -> dict[str, int]:
    """Ask the processor about every open attempt and bring attempts and orders in line.

    Returns how many attempts ended succeeded, failed, still open, or could not be checked.
    """
    counts = {"succeeded": 0, "failed": 0, "open": 0, "unreachable": 0}
    now = timezone.now()
    for payment in Payment.objects.filter(status__in=OPEN_STATUSES).order_by("pk"):
        try:
            if payment.payment_intent_id:
                attempt = apply_intent(
                    payment, gateway.retrieve_payment_intent(payment.payment_intent_id)
                )
            else:
                attempt = look_for_lost_intent(payment)
            if (
                attempt.status == PaymentStatus.REQUIRES_ACTION
                and payment.created_at < now - ABANDONED_AFTER
            ):
                attempt = apply_intent(
                    payment, gateway.cancel_payment_intent(payment.payment_intent_id)
                )
        except gateway.ProcessorUnavailable:
            counts["unreachable"] += 1
            continue
        except gateway.ProcessorError as error:
            logger.error("Could not check payment %s: %s", payment.pk, error)
            counts["unreachable"] += 1
            continue
        key = {PaymentStatus.SUCCEEDED: "succeeded", PaymentStatus.FAILED: "failed"}
        counts[key.get(attempt.status, "open")] += 1
    # A success whose order was not marked paid (interrupted between the two steps).
    for payment in Payment.objects.filter(
        status=PaymentStatus.SUCCEEDED, order__status=OrderStatus.AWAITING_PAYMENT
    ):
        settle_succeeded(payment)
    return counts
