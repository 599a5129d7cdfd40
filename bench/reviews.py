"""`make bench-reviews`: product and cooperative pages with reviews, on the bench catalog.

A published product gets REVIEWS published reviews the first time (bench database only):
buyers in Morocco order it through the real checkout, it is delivered, they review it in
Arabic, French or English over two years, and some vote others' reviews helpful. Then, with
Django's test client in this one process (no web server, no network, the production settings
and their in-process cache), it requests the product page at reviews page 1 and page 5, newest
and most helpful first, and its cooperative's page, each as a visitor:

- cold: the cache emptied before each request, so the page is built from the database;
- warm: the same request again, the page served whole from the cache (what most visitors get);
- signed in: a buyer's request, the page rendered from its cached fragments.

It prints the SQL queries of one request and the median and 99th percentile of the times.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from in_process import set_up_django, time_requests

REVIEWS = int(os.environ.get("BENCH_REVIEWS", "200"))
COLD_REPEAT = int(os.environ.get("BENCH_REVIEWS_COLD_REPEAT", "40"))
WARM_REPEAT = int(os.environ.get("BENCH_REVIEWS_WARM_REPEAT", "200"))


def main() -> None:
    env, seed_time = set_up_django()
    give_labels()
    product, setup = reviewed_product()
    cooperative = product.cooperative
    base = f"/en/products/{product.slug}/"
    pages = [
        ("product, reviews page 1, newest", base),
        ("product, reviews page 5, newest", f"{base}?reviews_page=5"),
        ("product, reviews page 1, most helpful", f"{base}?reviews_sort=helpful"),
        ("product, reviews page 5, most helpful", f"{base}?reviews_sort=helpful&reviews_page=5"),
        ("cooperative page", f"/en/cooperatives/{cooperative.slug}/"),
    ]
    rows = [measure(name, path) for name, path in pages]

    from catalog.models import Product

    database = env["DATABASE_URL"].split(":", 1)[0]
    reviews = cooperative.reviews.published().count()
    print()
    print(f"Souk reviews bench: {Product.objects.count():,} products on {database}; "
          f"“{product.title}” with {product.reviews.published().count()} published reviews, "
          f"{cooperative.name} with {reviews} ({cooperative.products.count():,} products); "
          f"one process, Django's test client, {COLD_REPEAT} cold and {WARM_REPEAT} warm "
          f"requests per page; seed {seed_time}; reviews {setup}")  # fmt: skip
    print()
    print("| page | path | status | cold: SQL | p50 ms | p99 ms | warm: SQL | p50 ms | p99 ms "
          "| signed in: SQL | p50 ms | p99 ms |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, path, status, cold, warm, signed_in in rows:
        figures = " | ".join(f"{queries} | {p50:.1f} | {p99:.1f}" for queries, p50, p99 in (cold, warm, signed_in))  # fmt: skip
        print(f"| {name} | `{path}` | {status} | {figures} |")


def give_labels() -> None:
    """Give the demo's certificates to a bench catalog seeded before the demo had them (and
    perhaps before the labels were reference data), so pages show badges as they would on a
    catalog seeded now."""
    from django.core.management import call_command

    from artisans.models import CooperativeLabel
    from marketplace.demo.labels import create_demo_labels
    from marketplace.demo.seeding import demo_cooperatives

    if not CooperativeLabel.objects.exists():
        call_command("load_reference_data", verbosity=0)
        create_demo_labels(list(demo_cooperatives()))


def reviewed_product():
    """The bench's product with REVIEWS published reviews (made the first time), and how
    long making them took."""
    from django.db.models import Count

    from catalog.models import Product, Review
    from marketplace.demo.reviews import MAX_PARCEL_GRAMS, review_one_product

    candidates = Product.objects.published().select_related("cooperative")
    reviewed = (
        Review.objects.published()
        .values("product")
        .annotate(total=Count("pk"))
        .filter(total__gte=REVIEWS)
        .values("product")
    )
    product = candidates.filter(pk__in=reviewed).order_by("pk").first()
    if product is not None:
        return product, "made by an earlier run"
    product = (
        candidates.filter(made_to_order=False, weight_grams__lte=MAX_PARCEL_GRAMS)
        .order_by("pk")
        .first()
    )
    print(f"Reviewing “{product.title}” {REVIEWS} times (bench database only) ...", flush=True)
    started = time.perf_counter()
    Product.objects.filter(pk=product.pk).update(stock=REVIEWS * 2)
    review_one_product(product, REVIEWS, rng=random.Random(2026))
    return product, f"made in {time.perf_counter() - started:.0f} s"


def measure(name: str, path: str) -> tuple:
    """Time the page cold, warm and signed in: (queries, p50 ms, p99 ms) of each."""
    from django.core.cache import cache
    from django.test import Client

    from marketplace.models import User

    visitor = Client(raise_request_exception=False)
    buyer = Client(raise_request_exception=False)
    buyer.force_login(User.objects.get_or_create(email="bench-buyer@souk.test")[0])
    status, *cold = time_requests(visitor, path, COLD_REPEAT, before=cache.clear)
    _status, *warm = time_requests(visitor, path, WARM_REPEAT)
    _status, *signed_in = time_requests(buyer, path, WARM_REPEAT)
    print(f"{name}: {status}, cold {cold[1]:.1f} ms, warm {warm[1]:.1f} ms", flush=True)
    return name, path, status, cold, warm, signed_in


if __name__ == "__main__":
    main()
