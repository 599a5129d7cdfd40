"""The payout ledger: sale entries, commission, payouts, and entries frozen once paid out."""

from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import OrderStatus
from payments.ledger import (
    EntryPaidOut,
    create_payout,
    current_commission_rate,
    record_sale_entries,
    set_commission_rate,
)
from payments.models import (
    CommissionRate,
    Payment,
    Payout,
    PayoutEntry,
    PayoutEntryKind,
    Refund,
    WebhookEvent,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def paid(make_order):
    def paid(shipments, **fields):
        return make_order(shipments, status=OrderStatus.PAID, paid_at=timezone.now(), **fields)

    return paid


def test_default_commission_is_ten_percent():
    assert current_commission_rate() == Decimal("0.1000")
    assert CommissionRate.objects.count() == 1  # from the data migration


def test_sale_entry_per_shipment_with_shipping_in_gross_and_rounded_commission(paid):
    order = paid([(Decimal("1200.05"), Decimal("34.50")), (Decimal("800.00"), Decimal("60.00"))])

    entries = record_sale_entries(order)

    assert len(entries) == 2
    first, second = sorted(entries, key=lambda entry: entry.shipment_id)
    # 1234.55 × 10% = 123.455, rounded half up to the centime.
    assert (first.gross_mad, first.commission_mad, first.net_mad) == (
        Decimal("1234.55"),
        Decimal("123.46"),
        Decimal("1111.09"),
    )
    assert (second.gross_mad, second.commission_mad, second.net_mad) == (
        Decimal("860.00"),
        Decimal("86.00"),
        Decimal("774.00"),
    )
    assert first.kind == PayoutEntryKind.SALE
    assert first.cooperative == first.shipment.cooperative
    assert record_sale_entries(order) == []  # a second call records nothing
    assert PayoutEntry.objects.count() == 2


def test_a_refused_sale_entry_is_an_error_not_recorded_silently(paid, monkeypatch):
    order = paid([(Decimal("90.05"), Decimal("10.00"))])

    def refuse(**fields):
        raise IntegrityError("CHECK constraint failed")

    monkeypatch.setattr(PayoutEntry.objects, "create", refuse)

    with pytest.raises(IntegrityError):
        record_sale_entries(order)


def test_newest_commission_rate_in_force_applies(paid):
    CommissionRate.objects.create(
        rate=Decimal("0.1250"), valid_from=timezone.now() - timedelta(hours=1)
    )
    CommissionRate.objects.create(
        rate=Decimal("0.2000"), valid_from=timezone.now() + timedelta(days=1)
    )
    order = paid([(Decimal("1000.00"), Decimal("0.00"))])

    [entry] = record_sale_entries(order)

    assert (entry.commission_rate, entry.commission_mad, entry.net_mad) == (
        Decimal("0.1250"),
        Decimal("125.00"),
        Decimal("875.00"),
    )


def test_payout_settles_one_cooperatives_unpaid_entries(paid, admin_user):
    order = paid([(Decimal("1000.00"), Decimal("0.00"))])
    [entry] = record_sale_entries(order)
    cooperative = entry.cooperative

    payout = create_payout(PayoutEntry.objects.all(), reference="VIR-2025-001", by=admin_user)

    assert (payout.cooperative, payout.total_mad, payout.reference) == (
        cooperative,
        Decimal("900.00"),
        "VIR-2025-001",
    )
    entry.refresh_from_db()
    assert entry.payout == payout
    assert not PayoutEntry.objects.filter(cooperative=cooperative, payout=None).exists()
    with pytest.raises(ValidationError) as again:
        create_payout(PayoutEntry.objects.all(), reference="VIR-2025-002", by=admin_user)
    assert again.value.code == "nothing_to_pay"
    assert Payout.objects.count() == 1


def test_payout_refuses_entries_of_several_cooperatives(paid, admin_user):
    record_sale_entries(
        paid([(Decimal("1000.00"), Decimal("0.00")), (Decimal("500.00"), Decimal("0.00"))])
    )

    with pytest.raises(ValidationError) as refused:
        create_payout(PayoutEntry.objects.all(), reference="VIR-1", by=admin_user)

    assert refused.value.code == "several_cooperatives"
    assert not Payout.objects.exists()
    assert not PayoutEntry.objects.filter(payout__isnull=False).exists()


def test_entry_paid_out_cannot_change(paid, admin_user):
    [entry] = record_sale_entries(paid([(Decimal("1000.00"), Decimal("0.00"))]))
    create_payout(PayoutEntry.objects.all(), reference="VIR-1", by=admin_user)

    with pytest.raises(EntryPaidOut):
        set_commission_rate(entry, Decimal("0.0500"))

    entry.refresh_from_db()
    assert (entry.commission_rate, entry.net_mad) == (Decimal("0.1000"), Decimal("900.00"))


def test_unpaid_entry_commission_can_be_waived(paid):
    [entry] = record_sale_entries(paid([(Decimal("1000.00"), Decimal("0.00"))]))

    set_commission_rate(entry, Decimal("0"))

    assert (entry.commission_mad, entry.net_mad) == (Decimal("0.00"), Decimal("1000.00"))


# ---------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------
def test_admin_marks_entries_paid_out_with_a_bank_reference(client, paid, admin_user):
    [entry] = record_sale_entries(paid([(Decimal("1000.00"), Decimal("0.00"))]))
    client.force_login(admin_user)
    url = "/en/admin/payments/payoutentry/"
    chosen = {"action": "mark_paid_out", "_selected_action": [entry.pk]}

    ask = client.post(url, chosen)
    assert ask.status_code == HTTPStatus.OK
    assert "Bank reference" in ask.content.decode()
    done = client.post(url, {**chosen, "apply": "1", "reference": "VIR-77"})

    assert done.status_code == HTTPStatus.FOUND
    payout = Payout.objects.get()
    assert (payout.reference, payout.total_mad, payout.created_by) == (
        "VIR-77",
        Decimal("900.00"),
        admin_user,
    )


def test_admin_change_page_of_a_paid_entry_is_read_only(client, paid, admin_user):
    [entry] = record_sale_entries(paid([(Decimal("1000.00"), Decimal("0.00"))]))
    client.force_login(admin_user)
    url = f"/en/admin/payments/payoutentry/{entry.pk}/change/"
    assert 'name="commission_rate"' in client.get(url).content.decode()  # not paid yet

    create_payout(PayoutEntry.objects.all(), reference="VIR-1", by=admin_user)
    page = client.get(url).content.decode()
    client.post(url, {"commission_rate": "0.0000"})

    assert 'name="commission_rate"' not in page
    entry.refresh_from_db()
    assert entry.commission_rate == Decimal("0.1000")


def test_admin_changes_an_unpaid_entrys_commission_through_the_ledger(client, paid, admin_user):
    [entry] = record_sale_entries(paid([(Decimal("1000.00"), Decimal("0.00"))]))
    client.force_login(admin_user)

    response = client.post(
        f"/en/admin/payments/payoutentry/{entry.pk}/change/", {"commission_rate": "0.0500"}
    )

    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert (entry.commission_mad, entry.net_mad) == (Decimal("50.00"), Decimal("950.00"))


def test_admin_commission_rates_are_editable(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        "/en/admin/payments/commissionrate/add/",
        {"rate": "0.0800", "valid_from_0": "2030-01-01", "valid_from_1": "00:00:00"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert CommissionRate.objects.filter(rate=Decimal("0.0800")).exists()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize(
    "model", ["payment", "webhookevent", "refund", "commissionrate", "payout", "payoutentry"]
)
def test_admin_changelist_queries_do_not_grow_with_rows(client, paid, admin_user, model):
    def add_rows(count):
        for _ in range(count):
            order = paid([(Decimal("100.00"), Decimal("10.00"))])
            [entry] = record_sale_entries(order)
            payment = Payment.objects.create(
                order=order, attempt=1, amount=order.total, currency="MAD", status="succeeded"
            )
            Refund.objects.create(
                shipment=entry.shipment,
                payment=payment,
                amount=Decimal("5.00"),
                amount_mad=Decimal("5.00"),
                processor_refund_id=f"re_{order.number}",
                created_by=admin_user,
            )
            create_payout(PayoutEntry.objects.filter(pk=entry.pk), reference="VIR", by=admin_user)
            WebhookEvent.objects.create(event_id=f"evt_{order.number}", type="x", payload={})

    client.force_login(admin_user)
    url = f"/en/admin/payments/{model}/"
    add_rows(1)
    client.get(url)
    one = count_queries(client, url)

    add_rows(29)

    assert count_queries(client, url) == one
