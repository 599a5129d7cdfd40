"""What the review tests share: a line of a paid order at each step (photos: tests/images.py)."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import OrderLineFactory, ProductFactory, ShipmentFactory, UserFactory


def delivered_line(
    *,
    buyer=None,
    product=None,
    shipment_status: str = "delivered",
    shipped_days_ago: float | None = 3,
    order_status: str = "paid",
    guest: bool = False,
):
    """A line of a paid order, its parcel shipped days ago and delivered (by default)."""
    now = timezone.now()
    if buyer is None and not guest:
        buyer = UserFactory(first_name="Claire", last_name="Martin")
    product = product or ProductFactory()
    shipment = ShipmentFactory(
        cooperative=product.cooperative,
        order__user=None if guest else buyer,
        order__status=order_status,
        order__country="FR",
        order__full_name="Claire Martin",
        status=shipment_status,
        shipped_at=None if shipped_days_ago is None else now - timedelta(days=shipped_days_ago),
        delivered_at=now if shipment_status == "delivered" else None,
    )
    return OrderLineFactory(shipment=shipment, product=product)
