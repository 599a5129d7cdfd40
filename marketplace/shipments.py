"""Fulfilment: a cooperative sends its paid shipments, then sees them delivered.

mark_order_paid() (checkout.py) puts each shipment of a paid order in TO_SHIP. A member of the
cooperative marks it shipped with the carrier and tracking number (the buyer gets a mail), then
delivered. Each step is a conditional UPDATE on the status: a double click, or two members at
once, moves the shipment once, on SQLite and PostgreSQL alike; the other gets a clear refusal.
Awaiting-payment and cancelled shipments are no work for the seller: the lists leave them out.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.models import Cooperative
from artisans.owner_mail import mail_language, site_url
from marketplace.models import OrderLine, Shipment, ShipmentStatus
from marketplace.orders import order_path
from marketplace.reputation import recompute_reputation_on_commit

logger = logging.getLogger(__name__)

# A shipment paid this recently is "new": the list shows it in its own tab and marks it.
NEW_FOR = timedelta(hours=48)
# The seller's work: paid shipments, in any state after payment.
PAID_STATUSES = (ShipmentStatus.TO_SHIP, ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)


class ShipmentTab(models.TextChoices):
    NEW = "new", _("New")
    TO_SHIP = "to_ship", _("To ship")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")


class WrongShipmentStatus(ValidationError):
    """The shipment is not in the state the step starts from (paid, shipped...)."""


# ---------------------------------------------------------------- reading


def paid_shipments(cooperative: Cooperative) -> QuerySet:
    """The cooperative's shipments that are work for it: paid, shipped or delivered."""
    return Shipment.objects.filter(cooperative=cooperative, status__in=PAID_STATUSES)


def shipments_in_tab(
    cooperative: Cooperative, tab: str, *, now: datetime | None = None
) -> QuerySet:
    """A tab of the cooperative's list, with each row's order, pieces and is_new flag.

    New: the longest waiting first. To ship: the earliest promised date first. Shipped and delivered: the latest first.
    """
    new_since = (now or timezone.now()) - NEW_FOR
    is_new = Q(status=ShipmentStatus.TO_SHIP, order__paid_at__gte=new_since)
    rows = (
        paid_shipments(cooperative)
        .select_related("order")
        .annotate(
            pieces=Sum("lines__quantity"),
            is_new=ExpressionWrapper(is_new, output_field=BooleanField()),
        )
    )
    if tab == ShipmentTab.NEW:
        return rows.filter(is_new).order_by("order__paid_at", "pk")
    if tab == ShipmentTab.SHIPPED:
        return rows.filter(status=ShipmentStatus.SHIPPED).order_by("-shipped_at", "-pk")
    if tab == ShipmentTab.DELIVERED:
        return rows.filter(status=ShipmentStatus.DELIVERED).order_by("-delivered_at", "-pk")
    # The most urgent first: a made-to-order parcel paid earlier may be due later.
    return rows.filter(status=ShipmentStatus.TO_SHIP).order_by("ship_by", "pk")


def count_tabs(cooperative: Cooperative, *, now: datetime | None = None) -> dict[str, int]:
    """How many shipments each tab holds (one query)."""
    new_since = (now or timezone.now()) - NEW_FOR
    to_ship = Q(status=ShipmentStatus.TO_SHIP)
    return paid_shipments(cooperative).aggregate(
        new=Count("pk", filter=to_ship & Q(order__paid_at__gte=new_since)),
        to_ship=Count("pk", filter=to_ship),
        shipped=Count("pk", filter=Q(status=ShipmentStatus.SHIPPED)),
        delivered=Count("pk", filter=Q(status=ShipmentStatus.DELIVERED)),
    )


def shipments_for_page() -> QuerySet:
    """Shipments with their order, cooperative and region, and lines with their products.

    The products (and their HS codes) are for the customs papers: a line sold before its
    product had an HS code or a weight takes the one the seller has given since.
    """
    lines = OrderLine.objects.select_related("product__hs_code").order_by("pk")
    return Shipment.objects.select_related("order", "cooperative__region").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def shipment_of(cooperative: Cooperative, shipment_id: int, *, paid: bool = False) -> Shipment:
    """The cooperative's shipment read for a page, or Http404 (another's is a 404 too).

    paid: only a paid shipment (to ship, shipped, delivered), as the customs papers need.
    """
    queryset = shipments_for_page().filter(cooperative=cooperative)
    if paid:
        queryset = queryset.filter(status__in=PAID_STATUSES)
    return get_object_or_404(queryset, pk=shipment_id)


# ---------------------------------------------------------------- changing


def wrong_status(shipment: Shipment) -> WrongShipmentStatus:
    """The refusal that explains why the shipment cannot move from where it is."""
    messages = {
        ShipmentStatus.AWAITING_PAYMENT: gettext(
            "This order is not paid yet: do not send the parcel until it is."
        ),
        ShipmentStatus.CANCELLED: gettext("This order was cancelled: do not send the parcel."),
        ShipmentStatus.TO_SHIP: gettext(
            "This parcel is not marked shipped yet: mark it shipped first, with its tracking "
            "number."
        ),
        ShipmentStatus.SHIPPED: gettext(
            "This parcel is already marked shipped, with tracking number %(tracking)s."
        ),
        ShipmentStatus.DELIVERED: gettext("This parcel is already marked delivered."),
    }
    return WrongShipmentStatus(
        messages[shipment.status],
        code=f"shipment_{shipment.status}",
        params={"tracking": shipment.tracking_number},
    )


@transaction.atomic(durable=True)
def mark_shipped(shipment: Shipment, *, carrier: str, tracking_number: str) -> None:
    """Record that the paid shipment left with the carrier; mail the buyer on commit.

    Raises WrongShipmentStatus, changing nothing, unless the shipment was to ship.
    """
    moved = Shipment.objects.filter(pk=shipment.pk, status=ShipmentStatus.TO_SHIP).update(
        status=ShipmentStatus.SHIPPED,
        carrier=carrier,
        tracking_number=tracking_number,
        shipped_at=timezone.now(),
    )
    shipment.refresh_from_db(
        fields=["status", "carrier", "tracking_number", "shipped_at", "delivered_at"]
    )
    if not moved:
        raise wrong_status(shipment)
    mail_shipped_on_commit(shipment.pk)
    recompute_reputation_on_commit(shipment.cooperative_id)  # shipped on time, or late


@transaction.atomic(durable=True)
def mark_delivered(shipment: Shipment) -> None:
    """Record that the shipped parcel reached the buyer, or raise WrongShipmentStatus."""
    moved = Shipment.objects.filter(pk=shipment.pk, status=ShipmentStatus.SHIPPED).update(
        status=ShipmentStatus.DELIVERED, delivered_at=timezone.now()
    )
    shipment.refresh_from_db(
        fields=["status", "carrier", "tracking_number", "shipped_at", "delivered_at"]
    )
    if not moved:
        raise wrong_status(shipment)
    recompute_reputation_on_commit(shipment.cooperative_id)  # one more delivered order


# ---------------------------------------------------------------- the buyer's mail


def shipped_mail(shipment: Shipment) -> EmailMessage:
    """Tell the buyer, in the language they ordered in, that the parcel left and how to follow it."""
    order = shipment.order
    with translation.override(mail_language(order.language)):
        context = {
            "order": order,
            "shipment": shipment,
            # A guest has no account: the signed link is their way back to the order.
            "url": site_url(order_path(order, signed=order.user_id is None)),
        }
        subject = gettext("Your Souk order %(number)s is on its way") % {"number": order.number}
        body = render_to_string("marketplace/email/shipment_shipped.txt", context)
    return EmailMessage(subject, body, to=[order.email])


def send_shipped_mail(shipment_id: int) -> int:
    """Send the buyer the shipped mail of the shipment; return how many left (0 or 1)."""
    shipment = shipments_for_page().get(pk=shipment_id)
    return shipped_mail(shipment).send()


def mail_shipped_on_commit(shipment_id: int) -> None:
    """Mail the buyer once the transaction commits; a failure is logged, not raised."""

    def send_shipped() -> None:  # named: Django's robust on_commit logs its __qualname__
        send_shipped_mail(shipment_id)

    # robust: a mail server down must not undo, or turn into an error, a parcel recorded sent.
    transaction.on_commit(send_shipped, robust=True)
