"""Admin for payments: attempts and webhooks to read, refunds to make, the payout ledger.

Payments, webhook events, refunds and payouts are records of what happened: they are read
here, never edited. Refunds are made from their add page (through the processor), payouts
from the ledger's "Mark as paid out" action.
"""

from decimal import Decimal
from http import HTTPStatus

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.admin import action_page
from marketplace.models import Shipment
from payments.ledger import EntryPaidOut, create_payout, set_commission_rate
from payments.models import (
    CommissionRate,
    Payment,
    PaymentStatus,
    Payout,
    PayoutEntry,
    Refund,
    WebhookEvent,
)
from payments.refunds import refund_shipment, refundable


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "order",
        "attempt",
        "status",
        "amount",
        "currency",
        "payment_intent_id",
        "created_at",
    )
    list_filter = ("status", "currency")
    list_select_related = ("order",)
    search_fields = ("order__number", "payment_intent_id", "setup_intent_id")
    date_hierarchy = "created_at"
    fields = (
        "order",
        "attempt",
        "status",
        "amount",
        "currency",
        "setup_intent_id",
        "payment_intent_id",
        "failure_message",
        "created_at",
        "updated_at",
        "refund_links",
    )
    readonly_fields = fields

    @admin.display(description=_("refunds"))
    def refund_links(self, payment: Payment) -> str:
        """A link to refund each shipment of a succeeded payment, with what is left."""
        if payment.status != PaymentStatus.SUCCEEDED:
            return "—"
        add = reverse("admin:payments_refund_add")
        shipments = payment.order.shipments.select_related("order", "cooperative")
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}?shipment={}">{}</a> ({})',
            (
                (
                    add,
                    shipment.pk,
                    shipment.cooperative,
                    gettext("%(amount)s %(currency)s left")
                    % {"amount": refundable(shipment), "currency": payment.currency},
                )
                for shipment in shipments
            ),
        )


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "received_at", "processed_at")
    list_filter = ("type",)
    search_fields = ("event_id",)
    date_hierarchy = "received_at"


# ---------------------------------------------------------------------------
# Refunds
# ---------------------------------------------------------------------------
class RefundForm(forms.Form):
    """What the admin fills in to refund a shipment; refund_shipment() checks the rest."""

    shipment = forms.ModelChoiceField(
        label=_("Shipment"),
        queryset=Shipment.objects.select_related("order"),
        widget=ForeignKeyRawIdWidget(Refund._meta.get_field("shipment").remote_field, admin.site),
        help_text=_("The shipment's id: refunds are made per cooperative's parcel."),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "In the currency the buyer paid in. Leave empty to refund all that is left "
            "(goods and shipping)."
        ),
    )
    restock = forms.BooleanField(
        label=_("Return the pieces to stock"),
        required=False,
        help_text=_("When the pieces come back, or were never sent."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = (
        "shipment",
        "amount",
        "currency",
        "amount_mad",
        "processor_refund_id",
        "restocked",
        "created_by",
        "created_at",
    )
    list_select_related = ("shipment__order", "shipment__cooperative", "payment", "created_by")
    search_fields = ("shipment__order__number", "processor_refund_id")
    date_hierarchy = "created_at"

    @admin.display(description=_("currency"))
    def currency(self, refund: Refund) -> str:
        return refund.payment.currency

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """Refund a shipment through the processor, instead of saving a typed-in row."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RefundForm(
            request.POST if request.method == "POST" else None,
            initial={"shipment": request.GET.get("shipment")},
        )
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                refund = refund_shipment(
                    data["shipment"],
                    amount=data["amount"],
                    restock=data["restock"],
                    reason=data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_addition(request, refund, [{"added": {}}])
                messages.success(
                    request,
                    gettext("Refunded %(amount)s %(currency)s on %(shipment)s.")
                    % {
                        "amount": refund.amount,
                        "currency": refund.payment.currency,
                        "shipment": refund.shipment,
                    },
                )
                return HttpResponseRedirect(reverse("admin:payments_refund_changelist"))
        shipment = form.cleaned_data.get("shipment") if form.is_bound else None
        if shipment is None and request.GET.get("shipment", "").isdigit():
            shipment = (
                Shipment.objects.select_related("order").filter(pk=request.GET["shipment"]).first()
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Refund a shipment"),
            "opts": self.model._meta,
            "form": form,
            "shipment": shipment,
            "refundable": refundable(shipment) if shipment else None,
            "media": self.media + form.media,
        }
        status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
        return TemplateResponse(
            request, "admin/payments/refund/refund_shipment.html", context, status=status
        )


# ---------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------
@admin.register(CommissionRate)
class CommissionRateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "rate", "valid_from")
    fields = ("rate", "valid_from")


class PayoutEntryInline(admin.TabularInline):
    model = PayoutEntry
    fields = ("shipment", "kind", "gross_mad", "commission_mad", "net_mad", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PayoutEntry]:
        return super().get_queryset(request).select_related("shipment__order")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("cooperative", "reference", "total_mad", "paid_at", "created_by")
    list_select_related = ("cooperative", "created_by")
    list_filter = ("cooperative",)
    search_fields = ("reference", "cooperative__name")
    date_hierarchy = "paid_at"
    inlines = (PayoutEntryInline,)


class PaidOutFilter(admin.SimpleListFilter):
    title = _("paid out")
    parameter_name = "paid_out"

    def lookups(self, request, model_admin):
        return (("no", _("Not yet")), ("yes", _("Yes")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(payout__isnull=self.value() == "no")
        return queryset


class PayoutReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Bank reference"),
        max_length=100,
        help_text=_("The reference of the transfer made to the cooperative."),
    )


class PayoutEntryForm(forms.ModelForm):
    class Meta:
        model = PayoutEntry
        fields = ["commission_rate"]


@admin.register(PayoutEntry)
class PayoutEntryAdmin(admin.ModelAdmin):
    form = PayoutEntryForm
    list_display = (
        "cooperative",
        "shipment",
        "kind",
        "gross_mad",
        "commission_rate",
        "commission_mad",
        "net_mad",
        "payout",
        "created_at",
    )
    list_filter = (PaidOutFilter, "kind", "cooperative")
    list_select_related = (
        "cooperative",
        "shipment__order",
        "shipment__cooperative",
        "payout__cooperative",
    )
    search_fields = ("shipment__order__number", "cooperative__name", "payout__reference")
    date_hierarchy = "created_at"
    actions = ("mark_paid_out",)
    ENTRY_FIELDS = (
        "cooperative",
        "shipment",
        "refund",
        "kind",
        "gross_mad",
        "commission_rate",
        "commission_mad",
        "net_mad",
        "payout",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries come from payments and refunds

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj=None):
        return self.ENTRY_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # Only the commission of an entry not yet paid out may change (a waiver, a correction).
        if obj is None or obj.payout_id:
            return self.ENTRY_FIELDS
        return tuple(name for name in self.ENTRY_FIELDS if name != "commission_rate")

    def save_model(self, request: HttpRequest, obj: PayoutEntry, form, change: bool) -> None:
        if "commission_rate" in form.changed_data:
            stored = PayoutEntry.objects.get(pk=obj.pk)
            try:
                set_commission_rate(stored, form.cleaned_data["commission_rate"])
            except EntryPaidOut as error:
                messages.error(request, " ".join(error.messages))

    @admin.action(description=_("Mark as paid out"), permissions=["change"])
    def mark_paid_out(
        self, request: HttpRequest, queryset: QuerySet[PayoutEntry]
    ) -> HttpResponse | None:
        form = PayoutReferenceForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                payout = create_payout(
                    queryset, reference=form.cleaned_data["reference"], by=request.user
                )
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
            else:
                messages.success(
                    request,
                    gettext("Payout of %(total)s MAD to %(cooperative)s recorded.")
                    % {"total": payout.total_mad, "cooperative": payout.cooperative},
                )
            return None
        rows = queryset.select_related("cooperative", "shipment__order")
        return action_page(self, request, rows, form=form, title=gettext("Mark as paid out"))
