"""Bring payments, orders and refunds in line with what the card processor says.

Run it every few minutes (cron, a Celery beat): it settles attempts whose outcome Souk does not
know (the processor did not answer, the buyer left during 3-D Secure, a webhook was lost) and
refunds whose answer never came. Safe to run at any time, and twice at once.
"""

from django.core.management.base import BaseCommand

from payments.reconciliation import reconcile_payments
from payments.refunds import reconcile_refunds


class Command(BaseCommand):
    help = "Ask the card processor about open payments and pending refunds; apply its answers."

    def handle(self, *args, **options) -> None:
        payments = reconcile_payments()
        refunds = reconcile_refunds()
        self.stdout.write(
            "Payments: {succeeded} succeeded, {failed} failed, {open} still open, "
            "{unreachable} not checked (processor unreachable).".format(**payments)
        )
        self.stdout.write(
            "Refunds: {completed} completed, {dropped} dropped, {pending} still pending.".format(
                **refunds
            )
        )
        if payments["unreachable"] or refunds["pending"]:
            self.stderr.write("Some could not be settled now: run again in a few minutes.")
