"""Turn a cart into an order holding its stock; pay it, or give the stock back.

place_order() reserves stock and writes the order in one transaction; the card processor is
called afterwards, outside any transaction (payments/). The payments app then calls
mark_order_paid() or release_order(); release_expired_orders() gives back the stock of orders
left unpaid past their reservation. Each transition is a conditional UPDATE: safe to call twice
or at the same time from two processes, on SQLite and PostgreSQL alike.
"""

import logging
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from artisans.browsing import forget_listings_on_commit
from catalog.models import Product, ProductStatus
from marketplace.customs import customs_descriptions
from marketplace.models import (
    Cart,
    CartLine,
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentStatus,
    User,
)
from marketplace.order_mail import mail_order_paid_on_commit
from marketplace.pricing import QuoteLine, quote

logger = logging.getLogger(__name__)

NUMBER_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ORIGIN_COUNTRY = "MA"  # everything sold on Souk is made in Morocco


class OutOfStock(ValidationError):
    """A product of the cart cannot be reserved in the quantity asked."""


@dataclass(frozen=True)
class ShippingDetails:
    """Who the order is for and where it goes, as the checkout form cleaned them."""

    email: str
    full_name: str
    address_line1: str
    city: str
    country: str  # ISO 3166 alpha-2
    phone: str
    address_line2: str = ""
    postal_code: str = ""


def new_order_number() -> str:
    """Return a fresh order number such as SK-7Q2M9XKA (36^8 of them)."""
    return "SK-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))


def reservation_deadline(now: datetime | None = None) -> datetime:
    """When the stock of an order placed now stops being held for it."""
    return (now or timezone.now()) + timedelta(minutes=settings.SOUK_RESERVATION_MINUTES)


def frozen_hs_code(product: Product) -> str:
    """The product's 6-digit HS subheading, or "" when it has none."""
    code = product.hs_code.code if product.hs_code_id else ""
    return code if len(code) == 6 and code.isdigit() else ""


@transaction.atomic(durable=True)
def place_order(
    cart: Cart, details: ShippingDetails, *, currency: str, user: User | None, language: str
) -> Order:
    """Reserve the cart's stock and turn the cart into an order awaiting payment.

    One shipment per cooperative; lines freeze what was sold. Raises ValidationError (OutOfStock
    naming the product, a parcel too heavy, an empty cart...) and then writes nothing.
    """
    # A double click sends two checkouts of one cart: the second waits here for the first,
    # then finds the cart empty (SQLite's IMMEDIATE transactions queue the same way).
    list(Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk", flat=True))
    for_sale = Exists(Product.objects.published().filter(pk=OuterRef("product_id")))
    # Product order, so concurrent checkouts take stock rows in the same order (no deadlock).
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("product__cooperative", "product__hs_code", "product__craft")
        .annotate(for_sale=for_sale)
        .order_by("product_id")
    )
    if not lines:
        raise ValidationError(gettext("Your cart is empty."), code="empty_cart")
    for line in lines:
        if not line.for_sale:
            raise ValidationError(
                gettext("“%(title)s” is no longer for sale: remove it from your cart."),
                code="unavailable",
                params={"title": line.product.title},
            )
    priced = quote(
        [(line.product, line.quantity) for line in lines],
        country=details.country,
        currency=currency,
    )
    if priced.errors:
        raise priced.errors[0]
    for line in lines:
        take_stock(line.product, line.quantity)

    order = create_order(
        **asdict(details),
        user=user,
        language=language,
        currency=currency,
        mad_per_unit=priced.mad_per_unit,
        subtotal_mad=priced.subtotal_mad,
        shipping_mad=priced.shipping_mad,
        total_mad=priced.total_mad,
        total=priced.total,
        reserved_until=reservation_deadline(),
    )
    order_lines = []
    for parcel in priced.parcels:
        shipment = Shipment.objects.create(
            order=order,
            cooperative=parcel.cooperative,
            weight_grams=parcel.weight_grams,
            subtotal_mad=parcel.subtotal_mad,
            shipping_mad=parcel.shipping_mad,
        )
        order_lines += [
            frozen_line(line, shipment=shipment, currency=currency) for line in parcel.lines
        ]
    OrderLine.objects.bulk_create(order_lines)
    cart.lines.all().delete()
    if any(not line.product.made_to_order for line in lines):
        forget_listings_on_commit()  # pages showing the stock must show it lower
    return order


def frozen_line(line: QuoteLine, *, shipment: Shipment, currency: str) -> OrderLine:
    """The order line of a priced cart line: what was sold, as customs and the buyer read it."""
    description_en, description_fr = customs_descriptions(line.product)
    return OrderLine(
        shipment=shipment,
        product=line.product,
        title=line.product.title,
        quantity=line.quantity,
        unit_price_mad=line.unit_price_mad,
        unit_price=line.unit_price,
        currency=currency,
        hs_code=frozen_hs_code(line.product),
        customs_description_en=description_en,
        customs_description_fr=description_fr,
        # The line's net weight (all its pieces), as a customs declaration lists it.
        weight_grams=line.weight_grams * line.quantity,
        origin_country=ORIGIN_COUNTRY,
    )


def take_stock(product: Product, quantity: int) -> None:
    """Remove quantity from a published product's stock, or raise OutOfStock naming it.

    Made-to-order products have no stock to take. The condition sits on the product's own
    columns only: one UPDATE statement that PostgreSQL re-checks on the row it locks.
    """
    if product.made_to_order:
        return
    taken = Product.objects.filter(
        pk=product.pk,
        made_to_order=False,
        status=ProductStatus.PUBLISHED,
        stock__gte=quantity,
    ).update(stock=F("stock") - quantity)
    if not taken:
        raise OutOfStock(
            gettext(
                "Sorry, “%(title)s” sold out before your order could be placed. Remove it "
                "from your cart or lower its quantity to continue; nothing was charged."
            ),
            code="sold_out",
            params={"title": product.title},
        )


def create_order(**fields) -> Order:
    """Create the order under a fresh unique number (another draw if it is taken)."""
    for _attempt in range(5):
        number = new_order_number()
        try:
            with transaction.atomic():  # a savepoint: a taken number must not end the order
                return Order.objects.create(number=number, **fields)
        except IntegrityError:
            if not Order.objects.filter(number=number).exists():
                raise  # another constraint: not a matter of luck
    raise RuntimeError("Could not draw a free order number in 5 attempts")


# ---------------------------------------------------------------- after the order


def order_lines_by_product(order: Order) -> list[OrderLine]:
    """The order's lines that took stock from a product still there, in product order."""
    return list(
        OrderLine.objects.filter(shipment__order=order, product__isnull=False)
        .select_related("product")
        .order_by("product_id", "pk")
    )


@transaction.atomic
def mark_order_paid(order: Order) -> bool:
    """Record that the order is paid: its shipments go to the cooperatives, mails go out.

    Returns False, changing nothing, if it was already paid. An order cancelled because its
    reservation expired is still marked paid when the money arrives (money received is never
    lost): its stock is taken again, and where there is not enough left this is logged for
    the admin. Runs inside the caller's transaction if there is one; mails leave on commit.
    """
    now = timezone.now()
    paid = Order.objects.filter(pk=order.pk, status=OrderStatus.AWAITING_PAYMENT).update(
        status=OrderStatus.PAID, paid_at=now
    )
    revived = 0
    if not paid:
        revived = Order.objects.filter(pk=order.pk, status=OrderStatus.CANCELLED).update(
            status=OrderStatus.PAID, paid_at=now
        )
    if not (paid or revived):
        order.refresh_from_db()
        return False
    if revived:
        retake_stock(order)
    Shipment.objects.filter(
        order=order, status__in=[ShipmentStatus.AWAITING_PAYMENT, ShipmentStatus.CANCELLED]
    ).update(status=ShipmentStatus.TO_SHIP)
    promise_ship_by(order, paid_at=now)
    order.refresh_from_db()
    mail_order_paid_on_commit(order.pk)
    return True


def promise_ship_by(order: Order, *, paid_at: datetime) -> None:
    """Fix the date each parcel is promised to be marked shipped by, counted from payment.

    SOUK_SHIP_WITHIN_DAYS days, plus the longest lead time of the parcel's made-to-order
    pieces. Fixed now, so the promise the buyer was made stays the one the cooperative's
    on-time rate is measured against (marketplace/reputation.py).
    """
    made_to_order = Q(lines__product__made_to_order=True)
    shipments = order.shipments.annotate(
        lead_time_days=Max("lines__product__lead_time_days", filter=made_to_order)
    )
    for shipment in shipments:
        days = settings.SOUK_SHIP_WITHIN_DAYS + (shipment.lead_time_days or 0)
        Shipment.objects.filter(pk=shipment.pk).update(ship_by=paid_at + timedelta(days=days))


def retake_stock(order: Order) -> None:
    """Take again the stock a cancelled order gave back; log what cannot be taken."""
    changed = False
    for line in order_lines_by_product(order):
        if line.product.made_to_order:
            continue
        taken = Product.objects.filter(pk=line.product_id, stock__gte=line.quantity).update(
            stock=F("stock") - line.quantity
        )
        changed = changed or bool(taken)
        if not taken:
            logger.error(
                "Order %s was paid after its reservation expired, but product %s (%s) has "
                "fewer than %s pieces left: the cooperative must make or refund them",
                order.number,
                line.product_id,
                line.title,
                line.quantity,
            )
    if changed:
        forget_listings_on_commit()


@transaction.atomic
def release_order(order: Order) -> bool:
    """Cancel an unpaid order and give its stock back; False if it was not awaiting payment."""
    released = Order.objects.filter(pk=order.pk, status=OrderStatus.AWAITING_PAYMENT).update(
        status=OrderStatus.CANCELLED
    )
    if not released:
        order.refresh_from_db()
        return False
    Shipment.objects.filter(order=order).update(status=ShipmentStatus.CANCELLED)
    return_stock(OrderLine.objects.filter(shipment__order=order))
    order.refresh_from_db()
    return True


def return_stock(lines: QuerySet[OrderLine]) -> None:
    """Put the pieces of these order lines back in stock: an order released, a refund's goods.

    Made-to-order products took no stock, so they get none back. (Their flag as it is now: a
    seller switching it between the sale and the return is not accounted for.)
    """
    returned = 0
    # Product order, as everywhere stock moves, so concurrent moves never deadlock.
    pieces = lines.filter(product__isnull=False).order_by("product_id", "pk")
    for product_id, quantity in pieces.values_list("product_id", "quantity"):
        returned += Product.objects.filter(pk=product_id, made_to_order=False).update(
            stock=F("stock") + quantity
        )
    if returned:
        forget_listings_on_commit()  # pages showing the stock must show it higher


def release_expired_orders(now: datetime | None = None) -> int:
    """Release every unpaid order whose reservation has expired; return how many."""
    now = now or timezone.now()
    expired = Order.objects.filter(
        status=OrderStatus.AWAITING_PAYMENT, reserved_until__lt=now
    ).order_by("pk")
    released = 0
    # A list, not a cursor: SQLite isolates nothing between a cursor and writes to its rows.
    for order in list(expired):
        # One transaction each: one order failing does not keep the others' stock held.
        released += release_order(order)
    return released
