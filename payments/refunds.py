"""Refunds, per shipment, from the admin: checked in the database, made through the processor.

The refund's row is written first, under a placeholder id, in the transaction that checks the
amount against what is left to refund; the processor is called after it commits; its answer
completes the row. Two admins refunding the same shipment at once queue on the shipment's row
and the second sees the first's refund: together they can never give back more than was paid.
An answer that never came leaves the row pending (counted, so nothing is refunded twice) until
`manage.py reconcile_payments` finds the refund at the processor or finds there is none.
"""

import logging
import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.checkout import return_stock
from marketplace.models import OrderStatus, Shipment, ShipmentStatus
from marketplace.pricing import shipment_total
from payments import gateway
from payments.ledger import record_refund_entry
from payments.models import Payment, PaymentStatus, Refund

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
PENDING_PREFIX = "pending-"
# A pending refund the processor does not know after this long was never made.
LOST_AFTER = timedelta(minutes=5)
# Metadata naming the refund's row at the processor: its placeholder id, unique everywhere.
REFUND_KEY = "souk_refund"


def refundable(shipment: Shipment) -> Decimal:
    """Return what can still be refunded on the shipment, in the order's currency.

    What the buyer paid for it (its lines and its shipping, each converted once when the
    order was placed: the shipments add up to the order's total exactly), less its refunds.
    """
    refunded = shipment.refunds.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return max(shipment_total(shipment) - refunded, Decimal(0))


def refund_shipment(
    shipment: Shipment, *, amount: Decimal | None, restock: bool, reason: str, by
) -> Refund:
    """Refund amount (in the order's currency; None: all that is left) of a shipment.

    Raises ValidationError when it would refund more than was paid for the shipment, when the
    order is not paid, or when the processor refuses; the database is then unchanged.
    """
    refund = _reserve_refund(shipment, amount=amount, restock=restock, reason=reason, by=by)
    try:
        answer = gateway.create_refund(
            payment_intent_id=refund.payment.payment_intent_id,
            amount=refund.amount,
            currency=refund.payment.currency,
            metadata={REFUND_KEY: refund.processor_refund_id, "souk_order": shipment.order.number},
            idempotency_key=f"souk-{refund.processor_refund_id}",
        )
    except gateway.ProcessorUnavailable as error:
        raise ValidationError(
            gettext(
                "We could not reach the card processor. The refund is kept as pending; "
                "reconcile_payments completes it or drops it. Do not refund again meanwhile."
            ),
            code="processor_unreachable",
        ) from error
    except gateway.ProcessorError as error:
        refund.delete()
        raise ValidationError(
            gettext("The card processor refused the refund: %(reason)s"),
            code="processor_refused",
            params={"reason": error.message},
        ) from error
    return complete_refund(refund, answer)


@transaction.atomic(durable=True)
def _reserve_refund(
    shipment: Shipment, *, amount: Decimal | None, restock: bool, reason: str, by
) -> Refund:
    """Check the amount and write the refund's row, pending, before calling the processor."""
    # Lock the shipment's row: concurrent refunds of it queue here (SQLite's IMMEDIATE
    # transactions queue every writer already).
    Shipment.objects.filter(pk=shipment.pk).update(status=F("status"))
    shipment = Shipment.objects.select_related("order").get(pk=shipment.pk)
    order = shipment.order
    payment = (
        Payment.objects.filter(
            order=order, status=PaymentStatus.SUCCEEDED, payment_intent_id__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if order.status != OrderStatus.PAID or payment is None:
        raise ValidationError(
            gettext("Order %(number)s is not paid: there is nothing to refund."),
            code="not_paid",
            params={"number": order.number},
        )
    left = refundable(shipment)
    amount = left if amount is None else amount
    if amount <= 0:
        raise ValidationError(
            gettext("Nothing is left to refund on this shipment."), code="nothing_to_refund"
        )
    if amount > left:
        raise ValidationError(
            gettext(
                "At most %(left)s %(currency)s can be refunded on this shipment "
                "(paid, less earlier refunds)."
            ),
            code="over_refund",
            params={"left": left, "currency": order.currency},
        )
    if restock and shipment.refunds.filter(restocked=True).exists():
        raise ValidationError(
            gettext("The stock of this shipment was returned already."), code="restocked"
        )
    return Refund.objects.create(
        shipment=shipment,
        payment=payment,
        amount=amount,
        amount_mad=_amount_mad(shipment, amount, left=left),
        processor_refund_id=f"{PENDING_PREFIX}{uuid.uuid4().hex}",
        # On a pending refund: stock to return when it completes.
        restocked=restock,
        reason=reason,
        created_by=by,
    )


def _amount_mad(shipment: Shipment, amount: Decimal, *, left: Decimal) -> Decimal:
    """Return the dirhams a refund of amount, out of the left to refund, takes back."""
    refunded_mad = shipment.refunds.aggregate(total=Sum("amount_mad"))["total"] or Decimal(0)
    left_mad = shipment.subtotal_mad + shipment.shipping_mad - refunded_mad
    if amount == left:
        # The rest, exactly: conversions rounded to the cent must not leave dirhams behind.
        return left_mad
    # Its share of the dirhams left, not amount * rate: each price was converted and rounded
    # on its own, so that could take every dirham left while some currency is still to refund.
    share = (left_mad * amount / left).quantize(CENT, rounding=ROUND_HALF_UP)
    # A partial refund takes a centime at least and leaves one at least for the rest.
    return max(CENT, min(share, left_mad - CENT))


@transaction.atomic
def complete_refund(refund: Refund, answer: gateway.RefundState) -> Refund:
    """Record the processor's refund: its id, the stock returned, the cooperative's entry."""
    completed = Refund.objects.filter(
        pk=refund.pk, processor_refund_id__startswith=PENDING_PREFIX
    ).update(processor_refund_id=answer.id)
    refund.refresh_from_db()
    if not completed:
        return refund  # completed already (reconcile and the admin's request both answered)
    if answer.amount != refund.amount:
        logger.error(
            "Refund %s: asked %s, the processor refunded %s", refund.pk, refund.amount, answer
        )
    shipment = refund.shipment
    if refund.restocked:
        return_stock(shipment.lines.all())
    record_refund_entry(refund)
    if refundable(shipment) == 0:
        # Fully refunded before it left: the cooperative must not send it.
        Shipment.objects.filter(
            pk=shipment.pk,
            status__in=(ShipmentStatus.AWAITING_PAYMENT, ShipmentStatus.TO_SHIP),
        ).update(status=ShipmentStatus.CANCELLED)
    logger.info("Refund %s of shipment %s: %s", refund.pk, shipment, answer.id)
    return refund


def reconcile_refunds() -> dict[str, int]:
    """Complete or drop the refunds whose processor answer never came."""
    counts = {"completed": 0, "dropped": 0, "pending": 0}
    pending = Refund.objects.filter(processor_refund_id__startswith=PENDING_PREFIX)
    for refund in pending.select_related("payment").order_by("pk"):
        try:
            answer = gateway.find_refund(
                payment_intent_id=refund.payment.payment_intent_id,
                metadata_key=REFUND_KEY,
                value=refund.processor_refund_id,
            )
        except gateway.ProcessorError:
            counts["pending"] += 1
            continue
        if answer:
            complete_refund(refund, answer)
            counts["completed"] += 1
        elif refund.created_at < timezone.now() - LOST_AFTER:
            refund.delete()
            counts["dropped"] += 1
        else:
            counts["pending"] += 1
    return counts
