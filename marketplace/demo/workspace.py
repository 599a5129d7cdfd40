"""The artisan's workspace in the demo: a team with each role, orders to ship, money owed.

Orders go through the real checkout, payment, fulfilment and ledger functions; only their dates
are moved back afterwards, so the sales page has months to show. Nobody is mailed.
"""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.test import override_settings
from django.utils.text import slugify

from artisans.models import Cooperative, Membership, MembershipRole
from catalog.models import Product
from marketplace.checkout import ShippingDetails, mark_order_paid, place_order
from marketplace.demo.seeding import DEMO_DOMAIN
from marketplace.models import Cart, CartLine, Currency, Order, Shipment, User
from marketplace.pricing import priced_currencies
from marketplace.shipments import mark_delivered, mark_shipped
from payments.ledger import create_payout, record_sale_entries
from payments.models import PayoutEntry

# (buyer name, city, postal code, country, phone, currency, days ago, what happens next)
BUYERS = [
    ("Emily Carter", "Boston", "02118", "US", "+1 617 555 0142", "USD", 150, "delivered"),
    ("Claire Martin", "Lyon", "69003", "FR", "+33 6 12 34 56 78", "EUR", 95, "delivered"),
    ("Lucía García", "Madrid", "28012", "ES", "+34 612 345 678", "EUR", 40, "delivered"),
    ("Hannah Weber", "Berlin", "10115", "DE", "+49 151 2345 6789", "EUR", 12, "shipped"),
    ("Youssef Alaoui", "Rabat", "10000", "MA", "+212 6 61 23 45 67", "MAD", 3, "to_ship"),
    ("Sarah Johnson", "Chicago", "60614", "US", "+1 312 555 0199", "USD", 1, "to_ship"),
]
CARRIERS = ["Amana", "DHL", "Aramex"]
PAYOUT_REFERENCE = "VIR-2026-DEMO-0001"


def add_demo_team(cooperative: Cooperative, people: dict[str, User]) -> None:
    """Give the cooperative a manager and a member who can log in, beside its owner."""
    for role, user in (
        (MembershipRole.MANAGER, people["manager"]),
        (MembershipRole.MEMBER, people["member"]),
    ):
        Membership.objects.get_or_create(
            user=user, cooperative=cooperative, defaults={"role": role}
        )


def create_demo_orders(
    cooperative: Cooperative, *, buyer: User, admin: User, rng: random.Random
) -> int:
    """Place, pay and move along one order per demo buyer; pay out the delivered ones."""
    products = list(
        Product.objects.published()
        .filter(cooperative=cooperative, made_to_order=False, stock__gte=2, weight_grams__gt=0)
        .order_by("pk")[: len(BUYERS)]
    )
    if not products:
        return 0
    placed = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for index, (name, city, postal, country, phone, currency, days, outcome) in enumerate(
            BUYERS
        ):
            product = products[index % len(products)]
            # Delivered buyers ordered signed in: they review their pieces (demo/reviews.py).
            user = (
                buyer if country == "FR" else demo_buyer(name) if outcome == "delivered" else None
            )
            order = _place(product, user, name, city, postal, country, phone, currency)
            mark_order_paid(order)
            order.refresh_from_db()
            record_sale_entries(order)
            shipment = order.shipments.get()
            if outcome in ("shipped", "delivered"):
                tracking = f"RR{rng.randint(100_000_000, 999_999_999)}MA"
                mark_shipped(shipment, carrier=rng.choice(CARRIERS), tracking_number=tracking)
            if outcome == "delivered":
                mark_delivered(shipment)
            _move_back(order, days=days)
            placed += 1
        delivered = PayoutEntry.objects.filter(
            cooperative=cooperative, shipment__status="delivered"
        )
        create_payout(delivered, reference=PAYOUT_REFERENCE, by=admin)
    return placed


def demo_buyer(name: str) -> User:
    """A demo buyer's account (no password: nobody logs in as them), removed with the demo."""
    first, _, last = name.partition(" ")
    local = slugify(name).replace("-", ".")  # lucia.garcia: slugify drops the accents
    user, _ = User.objects.get_or_create(
        email=f"{local}@{DEMO_DOMAIN}",
        defaults={"first_name": first, "last_name": last, "password": make_password(None)},
    )
    return user


def _place(product, user, name, city, postal, country, phone, currency) -> Order:
    cart = Cart.objects.create()
    CartLine.objects.create(cart=cart, product=product, quantity=1, price_when_added=product.price)
    details = ShippingDetails(
        email=user.email if user else f"{name.split()[0].lower()}@example.com",
        full_name=name,
        address_line1="12 Demo Street",
        city=city,
        postal_code=postal,
        country=country,
        phone=phone,
    )
    language = {"FR": "fr", "MA": "ar"}.get(country, "en")
    # An admin may have removed a currency's rate: that buyer pays in dirhams, always priced.
    if currency not in priced_currencies():
        currency = Currency.MAD
    order = place_order(cart, details, currency=currency, user=user, language=language)
    cart.delete()
    return order


def _move_back(order: Order, *, days: int) -> None:
    """Date the order as if placed days ago, and its shipping and ledger accordingly."""
    shift = timedelta(days=days)
    Order.objects.filter(pk=order.pk).update(
        created_at=F("created_at") - shift, paid_at=F("paid_at") - shift
    )
    shipments = Shipment.objects.filter(order=order)
    shipments.update(ship_by=F("ship_by") - shift)
    # Sent two days after payment, delivered a week later.
    shipments.exclude(shipped_at=None).update(
        shipped_at=F("shipped_at") - shift + timedelta(days=2)
    )
    shipments.exclude(delivered_at=None).update(
        delivered_at=F("delivered_at") - shift + timedelta(days=9)
    )
    PayoutEntry.objects.filter(shipment__order=order).update(created_at=F("created_at") - shift)
