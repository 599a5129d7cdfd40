"""What the card processor was asked and answered, and what the marketplace owes cooperatives."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    STARTED = "started", _("started")  # row written before any call to the processor
    REQUIRES_ACTION = "requires_action", _("needs 3-D Secure")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    UNKNOWN = "unknown", _("outcome unknown")  # the processor did not answer: reconcile


class Payment(models.Model):
    """One attempt to pay an order: at most one PaymentIntent each, whatever the retries."""

    order = models.ForeignKey(
        "marketplace.Order", on_delete=models.PROTECT, related_name="payments"
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus, default=PaymentStatus.STARTED
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    setup_intent_id = models.CharField(_("SetupIntent"), max_length=100, blank=True)
    payment_intent_id = models.CharField(
        _("PaymentIntent"), max_length=100, null=True, blank=True, unique=True
    )
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt"], name="payment_one_per_attempt"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} #{self.attempt}"


class WebhookEvent(models.Model):
    """Each processor event stored once, by its id: a replay is a no-op."""

    event_id = models.CharField(_("event id"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=100)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Refund(models.Model):
    """Money given back for one shipment, as the processor's response recorded it."""

    shipment = models.ForeignKey(
        "marketplace.Shipment", on_delete=models.PROTECT, related_name="refunds"
    )
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    amount_mad = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    processor_refund_id = models.CharField(_("processor refund id"), max_length=100, unique=True)
    restocked = models.BooleanField(_("stock returned"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, amount_mad__gt=0), name="refund_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.payment.currency} · {self.shipment}"


class CommissionRate(models.Model):
    """The marketplace's share of each sale, from a date on; the newest applies."""

    rate = models.DecimalField(
        _("rate"), max_digits=5, decimal_places=4, help_text=_("0.1000 is 10%.")
    )
    valid_from = models.DateTimeField(_("valid from"), unique=True)

    class Meta:
        verbose_name = _("commission rate")
        verbose_name_plural = _("commission rates")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lt=1), name="commission_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rate:.2%}"


class Payout(models.Model):
    """A transfer the admin made to a cooperative, covering ledger entries."""

    cooperative = models.ForeignKey(
        "artisans.Cooperative", on_delete=models.PROTECT, related_name="payouts"
    )
    reference = models.CharField(_("bank reference"), max_length=100)
    total_mad = models.DecimalField(_("total (MAD)"), max_digits=12, decimal_places=2)
    paid_at = models.DateTimeField(_("paid at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-paid_at"]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.reference}"


class PayoutEntryKind(models.TextChoices):
    SALE = "sale", _("sale")
    REFUND = "refund", _("refund")


class PayoutEntry(models.Model):
    """What the marketplace owes a cooperative for a paid shipment, or takes back on a refund.

    Amounts of a refund entry are negative. An entry in a payout never changes: a later refund
    is a new entry, settled in the next payout.
    """

    cooperative = models.ForeignKey(
        "artisans.Cooperative", on_delete=models.PROTECT, related_name="payout_entries"
    )
    shipment = models.ForeignKey(
        "marketplace.Shipment", on_delete=models.PROTECT, related_name="payout_entries"
    )
    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="payout_entry"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PayoutEntryKind)
    gross_mad = models.DecimalField(_("gross (MAD)"), max_digits=12, decimal_places=2)
    commission_rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)
    commission_mad = models.DecimalField(_("commission (MAD)"), max_digits=12, decimal_places=2)
    net_mad = models.DecimalField(_("net (MAD)"), max_digits=12, decimal_places=2)
    payout = models.ForeignKey(
        Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout entry")
        verbose_name_plural = _("payout entries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One sale entry per shipment; refunds have one entry each.
            models.UniqueConstraint(
                fields=["shipment"],
                condition=models.Q(kind="sale"),
                name="payout_entry_one_sale_per_shipment",
            ),
            # No CheckConstraint net = gross - commission: SQLite evaluates it in floating
            # point (100.05 - 10.01 != 90.04) and refuses valid rows; payments.ledger is the
            # one place that computes the net.
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.net_mad} MAD · {self.cooperative}"
