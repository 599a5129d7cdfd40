"""Pick the benchmarked pages and count their SQL queries with Django's test client.

Prints one JSON line: the product count; for each page its path, status and queries
("first/again": a cold request, then the same request with the caches warm) as a visitor,
and its warm queries signed in; a signed-in buyer's session cookie; and the file listing
the paths of many product pages (RANDOM_PRODUCTS of them, picked at random).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from artisans.models import Cooperative  # noqa: E402
from catalog.models import Product  # noqa: E402
from marketplace.models import User  # noqa: E402

RANDOM_PRODUCTS = 5000
PATHS_FILE = Path(__file__).resolve().parent / "results" / "product-paths.txt"


def pages() -> list[tuple[str, str]]:
    product = Product.objects.published().order_by("-created_at").first()
    cooperative = Cooperative.objects.verified().order_by("name").first()
    if product is None or cooperative is None:
        raise SystemExit("The bench database has no published product: seed it first.")
    return [
        ("catalog list", "/en/catalog/"),
        ("filtered list", "/en/catalog/?branch=textiles&price_min=500&price_max=5000&sort=price"),
        ("product page", f"/en/products/{product.slug}/"),
        ("cooperative page", f"/en/cooperatives/{cooperative.slug}/"),
        ("search", "/en/catalog/?q=tapis+laine"),
    ]


def measure(client: Client, path: str) -> tuple[int, str]:
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts.append(len(queries))
    return response.status_code, "/".join(map(str, counts))


def write_product_paths() -> None:
    slugs = Product.objects.published().order_by("?").values_list("slug", flat=True)
    PATHS_FILE.write_text("".join(f"/en/products/{slug}/\n" for slug in slugs[:RANDOM_PRODUCTS]))


def main() -> None:
    visitor = Client(raise_request_exception=False)  # a broken page is a row, not a crash
    buyer = Client(raise_request_exception=False)
    buyer.force_login(User.objects.get_or_create(email="bench-buyer@souk.test")[0])
    results = []
    for name, path in pages():
        status, queries = measure(visitor, path)
        _status, signed_in = measure(buyer, path)
        results.append(
            {
                "name": name,
                "path": path,
                "status": status,
                "queries": queries,
                "signed_in_queries": signed_in.split("/")[1],
            }
        )
    write_product_paths()
    session = buyer.cookies[settings.SESSION_COOKIE_NAME].value
    print(
        json.dumps(
            {
                "products": Product.objects.count(),
                "pages": results,
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                "product_paths": str(PATHS_FILE),
            }
        )
    )


if __name__ == "__main__":
    main()
