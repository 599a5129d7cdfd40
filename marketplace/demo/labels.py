"""Labels in the demo: certificates held by cooperatives and products, one of them expired.

The schemes are reference data (artisans/label_schemes.py, which `load_reference_data` loads
before seeding); the demo only hands out certificates for them, so buyers see badges and the
catalog's label filter finds pieces. The numbers say DEMO: no real certificate has them.
Morocco Handmade has three levels; their wording on real certificates was not confirmed, so
the demo writes "Niveau 1" to "Niveau 3".
"""

from datetime import timedelta
from typing import NamedTuple

from artisans.models import Cooperative, CooperativeLabel, Label, ProductLabel, site_today
from catalog.models import Product

BATCH = 2000  # certificates per INSERT, for the bench's 100,000 products


class CooperativeCertificate(NamedTuple):
    cooperative: str  # the demo cooperative's key (marketplace/demo/texts.py)
    label: str  # slug
    level: str
    number: str
    first_day: int  # days from today
    last_day: int


class ProductMark(NamedTuple):
    """A collective mark borne by the cooperative's pieces of these crafts."""

    cooperative: str
    crafts: tuple[str, ...]
    label: str
    prefix: str  # of the certificate numbers
    days_left: int


COOPERATIVE_CERTIFICATES = (
    CooperativeCertificate("artisan", "morocco-handmade", "Niveau 2", "MH-DEMO-0153", -400, 695),
    CooperativeCertificate("fes", "morocco-handmade", "Niveau 3", "MH-DEMO-0088", -200, 895),
    CooperativeCertificate("tiznit", "morocco-handmade", "Niveau 1", "MH-DEMO-0231", -90, 1005),
    # Ran out 40 days ago and was not renewed: no page may show it.
    CooperativeCertificate("marrakech", "morocco-handmade", "Niveau 1", "MH-DEMO-0017", -1135, -40),
)
PRODUCT_MARKS = (
    ProductMark(
        "tiznit",
        ("tiznit-silver-jewellery", "fibulae", "enamelled-jewellery"),
        "tazerzite",
        "TZ-DEMO-",
        730,
    ),
)


def create_demo_labels(cooperatives: list[Cooperative]) -> int:
    """Give the demo cooperatives and some of their products certificates; return how many.

    A label that is not loaded (the reference data was edited) is passed over.
    """
    today = site_today()
    labels = {label.slug: label for label in Label.objects.all()}
    by_key = {cooperative.email.split("@")[0]: cooperative for cooperative in cooperatives}
    held = [
        CooperativeLabel(
            cooperative=by_key[certificate.cooperative],
            label=labels[certificate.label],
            level=certificate.level,
            certificate_number=certificate.number,
            valid_from=today + timedelta(days=certificate.first_day),
            valid_until=today + timedelta(days=certificate.last_day),
        )
        for certificate in COOPERATIVE_CERTIFICATES
        if certificate.cooperative in by_key and certificate.label in labels
    ]
    CooperativeLabel.objects.bulk_create(held)
    marked = 0
    for mark in PRODUCT_MARKS:
        if mark.cooperative not in by_key or mark.label not in labels:
            continue
        products = Product.objects.filter(
            cooperative=by_key[mark.cooperative], craft__slug__in=mark.crafts
        ).order_by("pk")
        certificates = [
            ProductLabel(
                product_id=product_id,
                label=labels[mark.label],
                certificate_number=f"{mark.prefix}{number:05d}",
                valid_until=today + timedelta(days=mark.days_left),
            )
            for number, product_id in enumerate(products.values_list("pk", flat=True), 1)
        ]
        ProductLabel.objects.bulk_create(certificates, batch_size=BATCH)
        marked += len(certificates)
    return len(held) + marked
