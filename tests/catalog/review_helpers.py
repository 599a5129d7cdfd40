"""What the review tests share: a line of a paid order at each step, real photos."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

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


def photo(name: str = "carpet.jpg", size: tuple[int, int] = (800, 600)) -> SimpleUploadedFile:
    """A real JPEG, as a phone sends it."""
    buffer = BytesIO()
    image = Image.new("RGB", size, (236, 226, 208))
    for x in range(0, size[0], 40):
        image.paste((120, 40, 30), (x, 0, x + 8, size[1]))
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def not_an_image(name: str = "carpet.jpg") -> SimpleUploadedFile:
    """HTML named like a photo."""
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", "image/jpeg")
