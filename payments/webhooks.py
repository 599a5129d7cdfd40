"""The processor's webhooks: verified, stored once by event id, applied idempotently.

Stripe delivers at least once, out of order, for days; localstripe once, about a second after
the call. Either way an event may come before or after the buyer's own return to the site:
both end in the same conditional transitions (payments/charging.py), so the order ends the
same whichever comes first, and the tenth copy of an event changes nothing.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from payments import gateway
from payments.charging import ATTEMPT_KEY, apply_failure, apply_intent
from payments.models import Payment, WebhookEvent

logger = logging.getLogger(__name__)

HANDLED_TYPES = {"payment_intent.succeeded", "payment_intent.payment_failed"}


def receive_event(payload: bytes, *, signature: str) -> WebhookEvent | None:
    """Verify, store and apply one delivery; return the stored event, None for a replay.

    Raises gateway.InvalidWebhook (nothing stored) when the processor did not sign it.
    """
    event = gateway.verify_webhook(payload, signature)
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                event_id=event["id"], type=event["type"], payload=event
            )
    except IntegrityError:
        stored = WebhookEvent.objects.get(event_id=event["id"])
        if stored.processed_at:
            return None
        # Stored by a delivery that failed while applying it: apply it now.
    apply_event(stored)
    return stored


def apply_event(stored: WebhookEvent) -> None:
    """Apply a stored event to its payment, then mark it processed."""
    if stored.type in HANDLED_TYPES:
        _apply_payment_intent_event(stored)
    WebhookEvent.objects.filter(pk=stored.pk, processed_at__isnull=True).update(
        processed_at=timezone.now()
    )


def _apply_payment_intent_event(stored: WebhookEvent) -> None:
    try:
        intent = gateway.payment_intent_from_event(stored.payload)
    except gateway.UnusableEvent as error:
        # Not one of Souk's PaymentIntents: a retry would fail the same way, for days.
        logger.warning("Event %s ignored: %s", stored.event_id, error)
        return
    payment = payment_of(intent)
    if payment is None:
        logger.warning("Event %s: no payment for PaymentIntent %s", stored.event_id, intent.id)
    elif stored.type == "payment_intent.succeeded":
        apply_intent(payment, intent)
    else:
        apply_failure(payment, intent)


def payment_of(intent: gateway.PaymentIntentState) -> Payment | None:
    """Return the attempt a PaymentIntent belongs to: by its id, else by the attempt it names.

    An attempt whose create lost its answer does not know its PaymentIntent's id yet.
    """
    lookup = Q(payment_intent_id=intent.id)
    if setup_intent_id := intent.metadata.get(ATTEMPT_KEY):
        lookup |= Q(setup_intent_id=setup_intent_id, payment_intent_id__isnull=True)
    return Payment.objects.filter(lookup).first()
