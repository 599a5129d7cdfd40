"""Pick the products the checkout bench buys, and give them stock for the whole run.

Usage: checkout_products.py COUNTRY... (the buyers' destinations). Prints one JSON line: the
slugs of PER_COOPERATIVE published products, not made to order, from each of COOPERATIVES
verified cooperatives, each shippable to every destination (no parcel too heavy). Their stock
is raised to STOCK, in the database DATABASE_URL names: run it with the bench's environment,
never against a real catalogue.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from artisans.models import Cooperative  # noqa: E402
from catalog.models import Product  # noqa: E402
from marketplace.models import Currency  # noqa: E402
from marketplace.pricing import quote  # noqa: E402

COOPERATIVES = 8
PER_COOPERATIVE = 5
STOCK = 1_000_000
CANDIDATES = 50  # looked at per cooperative to find PER_COOPERATIVE shippable ones


def shippable(product: Product, countries: list[str]) -> bool:
    return not any(
        quote([(product, 1)], country=country, currency=Currency.MAD).errors
        for country in countries
    )


def pick(countries: list[str]) -> list[Product]:
    picked = []
    for cooperative in Cooperative.objects.verified().order_by("name"):
        candidates = (
            Product.objects.published()
            .filter(cooperative=cooperative, made_to_order=False)
            .select_related("cooperative")
            .order_by("pk")[:CANDIDATES]
        )
        chosen = [product for product in candidates if shippable(product, countries)]
        if len(chosen) >= PER_COOPERATIVE:
            picked += chosen[:PER_COOPERATIVE]
        if len(picked) >= COOPERATIVES * PER_COOPERATIVE:
            return picked
    raise SystemExit(
        f"The bench database has fewer than {COOPERATIVES} cooperatives with "
        f"{PER_COOPERATIVE} products to sell: seed it again (delete bench/results/)."
    )


def main() -> None:
    products = pick(sys.argv[1:])
    Product.objects.filter(pk__in=[product.pk for product in products]).update(stock=STOCK)
    print(json.dumps([product.slug for product in products]))


if __name__ == "__main__":
    main()
