"""`manage.py seed_demo`: a marketplace that looks alive, and large catalogs for benchmarks.

Runs `load_reference_data` first. When demo data is already there it leaves it alone (so
`make run` can call it every time) and prints the logins; `--reset` rebuilds it. Up to
1,000 products each gets its own drawn pictures, re-encoded through catalog/images.py;
above that (`--products 100000` for the benchmark) products are inserted in batches and
their photo rows share a pool of stored pictures.
"""

import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.demo.labels import create_demo_labels
from marketplace.demo.reviews import create_demo_reviews
from marketplace.demo.seeding import (
    DEMO_PASSWORD,
    artisan_cooperative,
    create_bulk_catalog,
    create_cooperatives,
    create_demo_people,
    create_products,
    demo_data_exists,
    demo_logins,
    demo_product_count,
    reset_demo_data,
)
from marketplace.demo.texts import COOPERATIVES
from marketplace.demo.workspace import add_demo_team, create_demo_orders

BULK_ABOVE = 1000


class Command(BaseCommand):
    help = "Create demo cooperatives, products with pictures and logins; --reset to rebuild."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--products", type=int, default=150, help="How many products.")
        parser.add_argument(
            "--cooperatives", type=int, default=len(COOPERATIVES), help="How many cooperatives."
        )
        parser.add_argument("--reset", action="store_true", help="Delete demo data first.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same data).")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="Password of every login.")

    def handle(self, *args, products: int, cooperatives: int, reset: bool, seed: int,
               password: str, verbosity: int, **options) -> None:  # fmt: skip
        if products < 0 or cooperatives < 1:
            raise CommandError("--products must be 0 or more and --cooperatives at least 1.")
        started = time.perf_counter()
        call_command("load_reference_data", verbosity=0)
        if reset:
            deleted = reset_demo_data()
            self.stdout.write(f"Deleted the previous demo data ({deleted} rows).")
        people = create_demo_people(password)
        if demo_data_exists():
            self.stdout.write(
                f"Demo data already present ({demo_product_count()} products); "
                "run with --reset to rebuild it."
            )
        else:
            rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
            made = create_cooperatives(cooperatives, password=password, rng=rng)
            make = create_bulk_catalog if products > BULK_ABOVE else create_products
            photos = make(made, products, rng=rng)
            certificates = create_demo_labels(made)
            if (workshop := artisan_cooperative()) is not None:
                add_demo_team(workshop, people)
                create_demo_orders(workshop, buyer=people["buyer"], admin=people["admin"], rng=rng)
                create_demo_reviews(workshop, rng=rng)
            self.stdout.write(
                f"Created {len(made)} cooperatives, {products} products, {photos} photos and "
                f"{certificates} label certificates in {time.perf_counter() - started:.1f} s."
            )
        self._print_logins(password)

    def _print_logins(self, password: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password})"))
        for login in demo_logins():
            self.stdout.write(f"  {login.email:<22} {login.role}")
        self.stdout.write(
            "  Each cooperative's owner too: fes@souk.test, tiznit@souk.test, figuig@souk.test..."
        )
