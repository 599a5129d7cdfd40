"""`manage.py recompute_reputation`: recompute every cooperative's "trusted cooperative" badge.

The badge follows its inputs as they change (marketplace/reputation.py). Run this after changing
a SOUK_TRUST_* threshold, or on a schedule to catch a change made without a signal
(QuerySet.update() on reviews or shipments). It is idempotent: run it as often as you like.
"""

from django.core.management.base import BaseCommand

from marketplace.reputation import recompute_all_reputations


class Command(BaseCommand):
    help = "Recompute the trusted badge of every cooperative from its orders and reviews."

    def handle(self, *args, verbosity: int, **options) -> None:
        computed, trusted = recompute_all_reputations()
        if verbosity:
            self.stdout.write(f"Recomputed {computed} cooperatives: {trusted} trusted.")
