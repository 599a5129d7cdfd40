"""Charging an order's card: one Payment row per attempt, at most one PaymentIntent each.

The flow works on Stripe and on localstripe alike:
1. the server opens a SetupIntent; the browser confirms the card on it (Stripe.js);
2. the browser sends the SetupIntent's id back; the server writes a Payment row (the attempt)
   and commits it, then creates and confirms a PaymentIntent for the order's total, read from
   the database, with the card the SetupIntent holds;
3. if the bank asks for 3-D Secure, the browser completes it and sends the same id again: the
   server finds the attempt by its SetupIntent and reads its PaymentIntent's outcome.

"One PaymentIntent per attempt" holds without idempotency keys (localstripe ignores them):
the attempt's row is written before the call, keyed by the SetupIntent, and a request that
finds the row does not call create again; it reads the PaymentIntent the row names, or waits.
No network call runs inside a database transaction. Webhooks, the buyer's return and
`manage.py reconcile_payments` all end in apply_intent(), whose transitions are conditional
updates: applying the same outcome twice changes nothing the second time.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from marketplace.checkout import mark_order_paid, release_order
from marketplace.models import Order, OrderStatus
from payments import gateway
from payments.ledger import record_sale_entries
from payments.models import Payment, PaymentStatus

logger = logging.getLogger(__name__)

# The outcome of these is not known yet: a webhook, the buyer or reconcile will settle them.
OPEN_STATUSES = (PaymentStatus.STARTED, PaymentStatus.REQUIRES_ACTION, PaymentStatus.UNKNOWN)
# An attempt without a PaymentIntent id that has not moved for this long is not in flight any
# more: its create either never reached the processor or lost its answer, and the processor's
# list tells which. Well above the client's timeout.
LOST_AFTER = timedelta(minutes=1)
# Metadata on every PaymentIntent, to find its attempt (a webhook, a lost answer). The
# SetupIntent's id names the attempt: unlike a row id, the processor never gives it twice,
# even to a development database reset while its test account lives on.
ATTEMPT_KEY = "souk_setup_intent"

UNREACHABLE = gettext_lazy(
    "We could not reach the card processor. Nothing was charged twice; try again in a minute."
)
DECLINED = gettext_lazy(
    "Your card was declined and nothing was charged. Try again, with another card if need be."
)
NOT_AUTHENTICATED = gettext_lazy(
    "Your bank did not confirm the payment (3-D Secure) and nothing was charged. You can try again."
)
NOT_PAID = gettext_lazy("The payment did not go through and nothing was charged. Try again.")
PROCESSING = gettext_lazy(
    "Your payment is being processed. Reload this page in a minute to see its outcome."
)

# Processor error codes that mean "the bank's check failed", not "the card was refused".
AUTHENTICATION_CODES = {"payment_intent_authentication_failure", "authentication_required"}


class PaymentRefused(ValidationError):
    """The order cannot be paid now; the message says why and what to do."""


class AlreadyPaid(PaymentRefused):
    """The order is paid: there is nothing more to pay."""


@dataclass(frozen=True)
class Attempt:
    """Where one attempt stands, for the browser."""

    payment: Payment
    client_secret: str = ""  # the PaymentIntent's, when the bank asks for 3-D Secure
    message: str = ""  # for the buyer, when it did not (yet) succeed
    read: bool = True  # False: the processor refused to say where it stands (status is ours)

    @property
    def status(self) -> str:
        return self.payment.status


# ---------------------------------------------------------------------------
# The buyer's requests
# ---------------------------------------------------------------------------
def start_card_setup(order: Order) -> str:
    """Open a SetupIntent for the buyer's card; return its client secret for Stripe.js."""
    settle_open_payments(order)
    check_payable(order)
    try:
        setup = gateway.create_setup_intent(order_number=order.number)
    except gateway.ProcessorUnavailable as error:
        raise PaymentRefused(UNREACHABLE, code="processor_unreachable") from error
    except gateway.ProcessorError as error:
        raise PaymentRefused(NOT_PAID, code="processor_error") from error
    return setup.client_secret


def pay_order(order: Order, *, setup_intent_id: str) -> Attempt:
    """Charge the card confirmed on the SetupIntent for the order's total, once.

    Sending the same SetupIntent again (a double click, the return from 3-D Secure, a retry
    after a lost answer) reads the outcome of the same attempt: it never charges twice.
    """
    if not setup_intent_id.startswith("seti_") or len(setup_intent_id) > 100:
        raise _not_confirmed()
    existing = order.payments.filter(setup_intent_id=setup_intent_id).first()
    if existing:
        return resume(existing)
    settle_open_payments(order)
    check_payable(order)
    payment_method = _confirmed_card(order, setup_intent_id)
    payment, created = _open_attempt(order, setup_intent_id=setup_intent_id)
    if not created:
        return resume(payment)
    return _charge(payment, payment_method=payment_method)


def check_payable(order: Order) -> None:
    """Raise PaymentRefused unless the order is waiting for its payment, stock still reserved."""
    _check_awaiting_payment(order)
    if order.reserved_until < timezone.now():
        # Its open payments are settled (see the callers): no money can arrive for it now.
        release_order(order)
        raise PaymentRefused(
            gettext(
                "This order waited too long for its payment and its pieces went back on "
                "sale. Add them to your cart again to order them."
            ),
            code="reservation_expired",
        )


def _check_awaiting_payment(order: Order) -> None:
    order.refresh_from_db(fields=["status", "reserved_until"])
    if order.status == OrderStatus.PAID:
        raise AlreadyPaid(gettext("This order is paid already."), code="already_paid")
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise PaymentRefused(
            gettext("This order was cancelled: it can no longer be paid."), code="cancelled"
        )


def resume(payment: Payment) -> Attempt:
    """Return where an existing attempt stands, asking the processor when it is open."""
    if payment.status == PaymentStatus.SUCCEEDED:
        settle_succeeded(payment)
        return Attempt(payment)
    if payment.status == PaymentStatus.FAILED:
        return Attempt(payment, message=str(_failure_text(payment.failure_message)))
    try:
        if payment.payment_intent_id:
            return apply_intent(payment, gateway.retrieve_payment_intent(payment.payment_intent_id))
        return look_for_lost_intent(payment)
    except gateway.ProcessorUnavailable:
        return Attempt(payment, message=str(UNREACHABLE))
    except gateway.ProcessorError as error:
        # It refused to tell (rate limit, key, an id it forgot): the attempt stays open, the
        # buyer tries again later, a webhook or reconcile settles it meanwhile.
        logger.warning("Payment %s: the processor refused to tell: %s", payment.pk, error)
        return Attempt(payment, message=str(UNREACHABLE), read=False)


def settle_open_payments(order: Order) -> None:
    """Settle the order's earlier open attempts before a new one: no second charge can follow.

    A 3-D Secure check left open is cancelled (the buyer starts over with a new card entry);
    an attempt still in flight, or one the processor cannot tell about now, refuses the new one.
    """
    for payment in order.payments.filter(status__in=OPEN_STATUSES).order_by("pk"):
        attempt = resume(payment)
        if attempt.status == PaymentStatus.REQUIRES_ACTION and attempt.read:
            try:
                attempt = apply_intent(
                    payment, gateway.cancel_payment_intent(payment.payment_intent_id)
                )
            except gateway.ProcessorError as error:
                raise PaymentRefused(UNREACHABLE, code="processor_unreachable") from error
        if attempt.status in OPEN_STATUSES:
            raise PaymentRefused(attempt.message or PROCESSING, code="payment_in_progress")


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------
def _not_confirmed() -> PaymentRefused:
    return PaymentRefused(
        gettext("Your card details were not confirmed. Enter them again."),
        code="card_not_confirmed",
    )


def _confirmed_card(order: Order, setup_intent_id: str) -> str:
    """Return the payment method of the order's confirmed SetupIntent, or refuse."""
    try:
        setup = gateway.retrieve_setup_intent(setup_intent_id)
    except gateway.ProcessorUnavailable as error:
        raise PaymentRefused(UNREACHABLE, code="processor_unreachable") from error
    except gateway.ProcessorError as error:
        raise _not_confirmed() from error
    # The SetupIntent must be this order's: another order's, or a stranger's, is refused.
    if setup.metadata.get("souk_order") != order.number:
        raise _not_confirmed()
    if setup.status != "succeeded" or not setup.payment_method:
        raise _not_confirmed()
    return setup.payment_method


@transaction.atomic(durable=True)
def _open_attempt(order: Order, *, setup_intent_id: str) -> tuple[Payment, bool]:
    """Write and commit the attempt's row before any call: (payment, created)."""
    # Serialise attempts on one order: the UPDATE holds the order's row until commit on
    # PostgreSQL; SQLite's IMMEDIATE transactions queue every writer already.
    Order.objects.filter(pk=order.pk).update(status=F("status"))
    existing = order.payments.filter(setup_intent_id=setup_intent_id).first()
    if existing:
        return existing, False
    if order.payments.filter(status__in=OPEN_STATUSES).exists():
        raise PaymentRefused(PROCESSING, code="payment_in_progress")
    _check_awaiting_payment(order)
    attempt = (order.payments.aggregate(last=Max("attempt"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                order=order,
                attempt=attempt,
                amount=order.total,
                currency=order.currency,
                setup_intent_id=setup_intent_id,
            )
    except IntegrityError as error:
        raise PaymentRefused(PROCESSING, code="payment_in_progress") from error
    return payment, True


def _charge(payment: Payment, *, payment_method: str) -> Attempt:
    """Create and confirm the attempt's PaymentIntent; record what the processor answered."""
    try:
        intent = gateway.create_payment_intent(
            amount=payment.amount,
            currency=payment.currency,
            payment_method=payment_method,
            metadata={
                ATTEMPT_KEY: payment.setup_intent_id,
                "souk_order": payment.order.number,
                "souk_attempt": str(payment.attempt),
            },
            idempotency_key=f"souk-payment-{payment.setup_intent_id}",
        )
    except gateway.CardDeclined as error:
        if error.payment_intent_id:
            _store_intent_id(payment, error.payment_intent_id)
        _fail(payment, code=error.code, message=error.message)
        return Attempt(payment, message=str(_failure_text(payment.failure_message)))
    except gateway.ProcessorUnavailable:
        # Maybe created, maybe not: reconcile (or the next attempt) finds out.
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.STARTED).update(
            status=PaymentStatus.UNKNOWN, updated_at=timezone.now()
        )
        payment.refresh_from_db()
        return Attempt(payment, message=str(UNREACHABLE))
    except gateway.ProcessorError as error:
        _fail(payment, code=error.code or "processor_error", message=error.message)
        return Attempt(payment, message=str(NOT_PAID))
    return apply_intent(payment, intent)


def look_for_lost_intent(payment: Payment) -> Attempt:
    """Settle an attempt that has no PaymentIntent id: in flight, or its answer was lost."""
    if payment.updated_at > timezone.now() - LOST_AFTER:
        message = UNREACHABLE if payment.status == PaymentStatus.UNKNOWN else PROCESSING
        return Attempt(payment, message=str(message))
    intent = gateway.find_payment_intent(metadata_key=ATTEMPT_KEY, value=payment.setup_intent_id)
    if intent is None:
        _fail(payment, code="not_created", message="The processor has no PaymentIntent for it.")
        return Attempt(payment, message=str(NOT_PAID))
    return apply_intent(payment, intent)


# ---------------------------------------------------------------------------
# Transitions: each a conditional update, so repeating one is a no-op
# ---------------------------------------------------------------------------
def apply_intent(payment: Payment, intent: gateway.PaymentIntentState) -> Attempt:
    """Bring the attempt in line with its PaymentIntent's state."""
    if not _store_intent_id(payment, intent.id):
        return Attempt(payment, message=str(PROCESSING))
    if intent.status == "succeeded":
        if intent.amount != payment.amount or intent.currency != payment.currency.upper():
            logger.error(
                "PaymentIntent %s is for %s %s, payment %s for %s %s: not applied",
                intent.id,
                intent.amount,
                intent.currency,
                payment.pk,
                payment.amount,
                payment.currency,
            )
            return Attempt(payment, message=str(PROCESSING))
        settle_succeeded(payment)
        return Attempt(payment)
    if intent.status == "requires_action":
        Payment.objects.filter(pk=payment.pk, status__in=OPEN_STATUSES).update(
            status=PaymentStatus.REQUIRES_ACTION, updated_at=timezone.now()
        )
        payment.refresh_from_db()
        return Attempt(payment, client_secret=intent.client_secret)
    if intent.status in ("requires_payment_method", "canceled"):
        _fail(
            payment,
            code=intent.error_code or intent.status,
            message=intent.error_message or f"PaymentIntent {intent.status}",
        )
        payment.refresh_from_db()
        return Attempt(payment, message=str(_failure_text(payment.failure_message)))
    # processing (and states Souk never asks for): the processor decides later.
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.STARTED).update(
        status=PaymentStatus.UNKNOWN, updated_at=timezone.now()
    )
    payment.refresh_from_db()
    return Attempt(payment, message=str(PROCESSING))


@transaction.atomic(durable=True)
def settle_succeeded(payment: Payment) -> bool:
    """Record the attempt as succeeded, mark its order paid and owe the cooperatives.

    Returns whether this call made the payment succeed. The three writes commit together:
    a crash between them would leave a success that reconcile never looks at again (it asks
    about open attempts only), so a failure leaves the attempt open instead, and the next
    webhook, return or reconcile settles all of it. No network call runs in here (durable:
    nobody wraps one around it either); the paid-order mails leave on commit.
    Each write is conditional, so a repeat changes nothing.
    """
    changed = (
        Payment.objects.filter(pk=payment.pk)
        .exclude(status=PaymentStatus.SUCCEEDED)
        .update(status=PaymentStatus.SUCCEEDED, failure_message="", updated_at=timezone.now())
    )
    payment.refresh_from_db()
    order = Order.objects.get(pk=payment.order_id)
    if changed:
        logger.info("Payment %s of order %s succeeded", payment.pk, order.number)
        twice = order.payments.filter(status=PaymentStatus.SUCCEEDED).exclude(pk=payment.pk)
        if twice.exists():
            logger.error("Order %s is paid by more than one payment: refund one", order.number)
    if order.status != OrderStatus.PAID:
        mark_order_paid(order)
        order.refresh_from_db()
    if order.status == OrderStatus.PAID:
        record_sale_entries(order)
    else:
        logger.error(
            "Payment %s succeeded but order %s is %s: refund it or restore the order",
            payment.pk,
            order.number,
            order.status,
        )
    return bool(changed)


def apply_failure(payment: Payment, intent: gateway.PaymentIntentState) -> bool:
    """Record that the attempt's PaymentIntent failed, unless it succeeded; True if changed."""
    if not _store_intent_id(payment, intent.id):
        return False
    return _fail(
        payment,
        code=intent.error_code or "payment_failed",
        message=intent.error_message or "The processor reported the payment as failed.",
    )


def _fail(payment: Payment, *, code: str, message: str) -> bool:
    changed = (
        Payment.objects.filter(pk=payment.pk)
        .exclude(status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FAILED))
        .update(
            status=PaymentStatus.FAILED,
            failure_message=f"{code}: {message}"[:300],
            updated_at=timezone.now(),
        )
    )
    payment.refresh_from_db()
    return bool(changed)


def _store_intent_id(payment: Payment, payment_intent_id: str) -> bool:
    """Record the attempt's PaymentIntent id; False if it already has another one."""
    if not payment.payment_intent_id:
        Payment.objects.filter(pk=payment.pk, payment_intent_id__isnull=True).update(
            payment_intent_id=payment_intent_id
        )
        payment.refresh_from_db()
    if payment.payment_intent_id != payment_intent_id:
        # Never expected: one attempt, one PaymentIntent. Somebody must look.
        logger.error(
            "Payment %s has PaymentIntent %s, not %s: not applied",
            payment.pk,
            payment.payment_intent_id,
            payment_intent_id,
        )
        return False
    return True


def _failure_text(failure_message: str):
    """Return what the buyer reads about a failed attempt (the processor's code decides)."""
    code = failure_message.partition(":")[0]
    if code in AUTHENTICATION_CODES:
        return NOT_AUTHENTICATED
    if code in ("card_declined", "expired_card", "incorrect_cvc", "insufficient_funds"):
        return DECLINED
    return NOT_PAID
