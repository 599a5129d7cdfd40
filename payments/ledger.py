"""The payout ledger: what the marketplace owes each cooperative, and the payouts that settle it.

Stripe does not pay out to Moroccan accounts and localstripe has no Connect: the marketplace
collects every payment and keeps this ledger, which the admin settles by bank transfer.

- A paid order gives one sale entry per shipment. Its gross is what the buyer paid for that
  shipment: the goods and the shipping, because the cooperative ships the parcel and pays the
  carrier. The commission is taken on that gross at the rate in force when the order was paid.
- A refund gives a negative entry: the gross given back, less the share of commission the
  marketplace gives back with it (at the sale's rate).
- An entry in a payout never changes; a later refund is a new entry, settled in the next payout.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from payments.models import CommissionRate, Payout, PayoutEntry, PayoutEntryKind, Refund

CENT = Decimal("0.01")
# Used only if an admin deleted every commission rate: the data migration sets it up too.
DEFAULT_COMMISSION_RATE = Decimal("0.1000")


class EntryPaidOut(ValidationError):
    """The entry belongs to a payout already made: it can no longer change."""


def current_commission_rate(*, at=None) -> Decimal:
    """Return the commission rate in force at a moment (now by default)."""
    rate = (
        CommissionRate.objects.filter(valid_from__lte=at or timezone.now())
        .order_by("-valid_from")
        .values_list("rate", flat=True)
        .first()
    )
    return DEFAULT_COMMISSION_RATE if rate is None else rate


def commission_on(gross_mad: Decimal, rate: Decimal) -> Decimal:
    """Return the commission on an amount, rounded half up to the centime."""
    return (gross_mad * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def record_sale_entries(order) -> list[PayoutEntry]:
    """Record one sale entry per shipment of a paid order; a second call records nothing."""
    rate = current_commission_rate(at=order.paid_at)
    created = []
    recorded = PayoutEntry.objects.filter(kind=PayoutEntryKind.SALE, shipment__order=order)
    for shipment in order.shipments.exclude(pk__in=recorded.values("shipment_id")):
        gross = shipment.subtotal_mad + shipment.shipping_mad
        commission = commission_on(gross, rate)
        try:
            # Two callers at once (webhook and return page): the unique sale-per-shipment
            # constraint lets one of them record it.
            with transaction.atomic():
                created.append(
                    PayoutEntry.objects.create(
                        cooperative_id=shipment.cooperative_id,
                        shipment=shipment,
                        kind=PayoutEntryKind.SALE,
                        gross_mad=gross,
                        commission_rate=rate,
                        commission_mad=commission,
                        net_mad=gross - commission,
                    )
                )
        except IntegrityError:
            # Only the unique sale-per-shipment constraint means "recorded by the other caller":
            # any other refusal must not lose the cooperative's sale silently.
            if PayoutEntry.objects.filter(kind=PayoutEntryKind.SALE, shipment=shipment).exists():
                continue
            raise
    return created


def record_refund_entry(refund: Refund) -> PayoutEntry:
    """Record the negative entry of a refund: the cooperative gives back what it was owed."""
    sale = PayoutEntry.objects.filter(
        shipment_id=refund.shipment_id, kind=PayoutEntryKind.SALE
    ).first()
    rate = sale.commission_rate if sale else current_commission_rate()
    gross = -refund.amount_mad
    commission = -commission_on(refund.amount_mad, rate)
    if sale:
        given_back = PayoutEntry.objects.filter(
            shipment_id=refund.shipment_id, kind=PayoutEntryKind.REFUND
        ).aggregate(gross=Sum("gross_mad"), commission=Sum("commission_mad"))
        given_back_gross = given_back["gross"] or Decimal(0)
        if sale.gross_mad + given_back_gross + gross <= 0:
            # The refund that empties the shipment gives back the rest exactly: commissions
            # rounded per refund must not leave a centime owed on a sale refunded entirely.
            gross = -(sale.gross_mad + given_back_gross)
            commission = -(sale.commission_mad + (given_back["commission"] or Decimal(0)))
    return PayoutEntry.objects.create(
        cooperative_id=refund.shipment.cooperative_id,
        shipment_id=refund.shipment_id,
        refund=refund,
        kind=PayoutEntryKind.REFUND,
        gross_mad=gross,
        commission_rate=rate,
        commission_mad=commission,
        net_mad=gross - commission,
    )


@transaction.atomic
def set_commission_rate(entry: PayoutEntry, rate: Decimal) -> None:
    """Change the commission of an entry not yet paid out (a waiver, a correction)."""
    gross = entry.gross_mad
    commission = commission_on(abs(gross), rate) * (-1 if gross < 0 else 1)
    # Conditional on "not paid out": a payout made in the meantime wins.
    changed = PayoutEntry.objects.filter(pk=entry.pk, payout__isnull=True).update(
        commission_rate=rate, commission_mad=commission, net_mad=gross - commission
    )
    if not changed:
        raise EntryPaidOut(
            gettext("This entry was paid out already: it can no longer change."),
            code="entry_paid_out",
        )
    entry.refresh_from_db()


@transaction.atomic(durable=True)
def create_payout(entries, *, reference: str, by) -> Payout:
    """Settle unpaid entries of one cooperative by one bank transfer (its reference)."""
    entries = list(entries.filter(payout__isnull=True).order_by("pk"))
    if not entries:
        raise ValidationError(
            gettext("None of these entries is waiting to be paid out."), code="nothing_to_pay"
        )
    cooperatives = {entry.cooperative_id for entry in entries}
    if len(cooperatives) != 1:
        raise ValidationError(
            gettext("A payout goes to one cooperative: select the entries of one only."),
            code="several_cooperatives",
        )
    total = sum((entry.net_mad for entry in entries), Decimal(0))
    if total <= 0:
        raise ValidationError(
            gettext("These entries add up to %(total)s MAD: there is nothing to pay."),
            code="nothing_to_pay",
            params={"total": total},
        )
    payout = Payout.objects.create(
        cooperative_id=cooperatives.pop(),
        reference=reference,
        total_mad=total,
        paid_at=timezone.now(),
        created_by=by,
    )
    # Conditional: an entry paid out by someone else meanwhile makes the whole payout fail.
    claimed = PayoutEntry.objects.filter(
        pk__in=[entry.pk for entry in entries], payout__isnull=True
    ).update(payout=payout)
    if claimed != len(entries):
        raise EntryPaidOut(
            gettext("Some of these entries were paid out meanwhile: nothing was recorded."),
            code="entry_paid_out",
        )
    return payout
