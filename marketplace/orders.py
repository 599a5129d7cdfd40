"""Who may see an order: its signed-in buyer, the browser that placed it, or a signed link.

A guest has no account: the confirmation mail carries a link signed with the site's secret
(`?key=`), and the session that placed the order remembers its number. Anyone else gets a 404,
as for an order that does not exist.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from marketplace.models import Order, OrderLine, Shipment, ShipmentStatus, User
from marketplace.pricing import shipment_amounts

ORDERS_SESSION_KEY = "souk_orders"  # numbers of the orders this browser placed
REMEMBERED_ORDERS = 20
KEY_SALT = "marketplace.order"


def order_key(order: Order) -> str:
    """The signature that opens the order's page without an account."""
    return signing.Signer(salt=KEY_SALT).signature(order.number)


def order_path(order: Order, *, signed: bool = False) -> str:
    """The order's page in the active language, signed for a guest's mail if asked."""
    path = reverse("marketplace:order_detail", args=[order.number])
    return f"{path}?key={order_key(order)}" if signed else path


def remember_order(request: HttpRequest, order: Order) -> None:
    """Let this browser see the order it has just placed (and pay it), even as a guest."""
    numbers = [n for n in request.session.get(ORDERS_SESSION_KEY, []) if n != order.number]
    request.session[ORDERS_SESSION_KEY] = [*numbers, order.number][-REMEMBERED_ORDERS:]


def signed_key(request: HttpRequest, order: Order) -> str:
    """The order's key if the request came with it (to pass on in links), else ""."""
    key = request.GET.get("key", "")
    return key if key and constant_time_compare(key, order_key(order)) else ""


def may_see_order(request: HttpRequest, order: Order) -> bool:
    """Whether the request comes from the order's buyer (account, session or signed link)."""
    if request.user.is_authenticated and order.user_id == request.user.pk:
        return True
    if order.number in request.session.get(ORDERS_SESSION_KEY, []):
        return True
    return bool(signed_key(request, order))


def buyer_order(request: HttpRequest, number: str, *, queryset: QuerySet | None = None) -> Order:
    """Return the order for its buyer, or raise Http404 (never say it exists to others)."""
    queryset = Order.objects.all() if queryset is None else queryset
    order = queryset.filter(number=number).first()
    if order is None or not may_see_order(request, order):
        raise Http404
    return order


def orders_for_page() -> QuerySet:
    """Orders with their shipments, cooperatives and lines: three queries whatever the size."""
    shipments = Shipment.objects.select_related("cooperative").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )
    return Order.objects.prefetch_related(Prefetch("shipments", queryset=shipments))


def orders_of(user: User) -> QuerySet:
    """A buyer's orders, newest first, each with its number of pieces."""
    return (
        Order.objects.filter(user=user)
        .annotate(pieces=Sum("shipments__lines__quantity"))
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class ShipmentSummary:
    shipment: Shipment  # with its cooperative and lines
    subtotal: Decimal  # in the order's currency
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping


@dataclass(frozen=True)
class OrderSummary:
    """An order as its pages and mails show it, amounts in the order's currency."""

    order: Order
    shipments: tuple[ShipmentSummary, ...]

    @property
    def subtotal(self) -> Decimal:
        return sum((shipment.subtotal for shipment in self.shipments), Decimal(0))

    @property
    def shipping(self) -> Decimal:
        return sum((shipment.shipping for shipment in self.shipments), Decimal(0))

    @property
    def all_waiting_to_ship(self) -> bool:
        """Paid and no parcel has left yet: what the buyer's page says while they are packed."""
        return all(part.shipment.status == ShipmentStatus.TO_SHIP for part in self.shipments)


def summarize_order(order: Order) -> OrderSummary:
    """Add up an order read through orders_for_page() (no further query)."""
    return OrderSummary(
        order=order,
        shipments=tuple(
            ShipmentSummary(shipment, *shipment_amounts(shipment, mad_per_unit=order.mad_per_unit))
            for shipment in order.shipments.all()
        ),
    )
