"""Give back the stock of orders left unpaid past their reservation (run it every few minutes)."""

from django.core.management.base import BaseCommand

from marketplace.checkout import release_expired_orders


class Command(BaseCommand):
    help = "Cancel unpaid orders whose stock reservation has expired and return their stock."

    def handle(self, *args, **options) -> None:
        released = release_expired_orders()
        self.stdout.write(f"Released {released} expired order(s).")
