"""`make bench-workspace`: the seller workspace on the bench catalog (100,000 products).

Signed in as the owner of the cooperative with the most products, it requests each workspace
page REPEAT times with Django's test client, in this one process (no web server, no network),
and prints the SQL queries of one request and the median and 99th percentile of the times.
The customs papers are timed as HTML and as PDF. Paid orders for the cooperative are placed
through the real checkout and fulfilment functions the first time (bench database only).
"""

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from in_process import set_up_django, time_requests

REPEAT = int(os.environ.get("BENCH_WORKSPACE_REPEAT", "200"))
PDF_REPEAT = int(os.environ.get("BENCH_WORKSPACE_PDF_REPEAT", "20"))


def main() -> None:
    env, seed_time = set_up_django()
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from artisans.models import Cooperative, MembershipRole
    from marketplace.demo.seeding import ADMIN_EMAIL, BUYER_EMAIL
    from marketplace.demo.workspace import create_demo_orders
    from marketplace.models import User

    cooperative = (
        Cooperative.objects.verified().annotate(total=Count("products")).order_by("-total").first()
    )
    owner = cooperative.memberships.filter(role=MembershipRole.OWNER).first().user
    if not cooperative.shipments.filter(status="delivered").exists():
        buyer, admin = (User.objects.get(email=email) for email in (BUYER_EMAIL, ADMIN_EMAIL))
        create_demo_orders(cooperative, buyer=buyer, admin=admin, rng=random.Random(1))
    shipment = cooperative.shipments.exclude(order__country="MA").filter(status="to_ship").first()
    product = cooperative.products.order_by("pk").first()
    client = Client(raise_request_exception=False)
    client.force_login(owner)

    def url(name: str, *ids: int, query: str = "") -> str:
        return reverse(f"workspace:{name}", args=[cooperative.pk, *ids]) + query

    pages = [
        ("overview", url("dashboard"), REPEAT),
        ("products, page 1", url("product_list"), REPEAT),
        ("products, page 100", url("product_list", query="?page=100"), REPEAT),
        ("product edit", url("product_edit", product.pk), REPEAT),
        ("HS code search `tapis laine`", url("hs_code_search", query="?q=tapis+laine"), REPEAT),
        ("orders to ship", url("shipment_list"), REPEAT),
        ("order", url("shipment_detail", shipment.pk), REPEAT),
        ("CN23, HTML", url("customs", shipment.pk), REPEAT),
        ("CN23, PDF", url("customs_pdf", shipment.pk), PDF_REPEAT),
        ("commercial invoice, PDF", url("invoice_pdf", shipment.pk), PDF_REPEAT),
        ("sales and payouts", url("sales"), REPEAT),
        ("shipments CSV", url("shipments_csv"), REPEAT),
        ("payouts CSV", url("payouts_csv"), REPEAT),
        ("members", url("members"), REPEAT),
    ]
    rows = [(name, path, *time_requests(client, path, repeat)) for name, path, repeat in pages]

    products = cooperative.products.count()
    database = env["DATABASE_URL"].split(":", 1)[0]
    print()
    print(f"Souk workspace bench: {cooperative.name} ({products:,} of its products) on {database}; "
          f"one process, Django's test client, {REPEAT} requests per page ({PDF_REPEAT} per PDF); seed {seed_time}")  # fmt: skip
    print()
    print("| page | path | status | SQL queries | p50 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|")
    for name, path, status, queries, p50, p99 in rows:
        print(f"| {name} | `{path}` | {status} | {queries} | {p50:.1f} | {p99:.1f} |")


if __name__ == "__main__":
    main()
