"""Sales and payouts: sales by month, best sellers, the payout statement and the CSV downloads."""

from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from artisans.models import MembershipRole
from marketplace.models import OrderStatus, ShipmentStatus
from payments.ledger import create_payout, record_sale_entries
from payments.models import PayoutEntry, PayoutEntryKind
from payments.statements import (
    csv_download,
    payout_rows,
    payout_statement,
    sales_by_month,
    shipment_rows,
    top_products,
)
from tests.downloads import read_csv
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    """A moment in UTC: 2025-01-31T23:30."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def sell(
    cooperative,
    *,
    goods=Decimal("1000.00"),
    shipping=Decimal("100.00"),
    paid_at=None,
    lines=None,
    order_status=OrderStatus.PAID,
    status=ShipmentStatus.TO_SHIP,
    record=True,
    **shipment_fields,
):
    """A shipment of the cooperative in an order paid at paid_at, its sale entry dated then.

    lines: (product or title, quantity, unit price) triples; one line of the goods by default.
    """
    paid_at = paid_at or timezone.now()
    paid = order_status == OrderStatus.PAID
    order = OrderFactory(
        status=order_status,
        paid_at=paid_at if paid else None,
        subtotal_mad=goods,
        shipping_mad=shipping,
    )
    shipment = ShipmentFactory(
        order=order,
        cooperative=cooperative,
        subtotal_mad=goods,
        shipping_mad=shipping,
        status=status,
        **shipment_fields,
    )
    for product, quantity, unit in lines or [(None, 1, goods)]:
        if isinstance(product, str):
            OrderLineFactory(
                shipment=shipment,
                product=None,
                title=product,
                quantity=quantity,
                unit_price_mad=unit,
            )
        else:
            OrderLineFactory(
                shipment=shipment,
                quantity=quantity,
                unit_price_mad=unit,
                **({"product": product} if product else {}),
            )
    if paid and record:
        record_sale_entries(order)
        # The entry is dated when the webhook recorded it, which is when the order was paid.
        PayoutEntry.objects.filter(shipment=shipment).update(created_at=paid_at)
    return shipment


def refund(shipment, *, gross, on):
    """A refund entry of the shipment (gross given back, 10% commission given back), dated on."""
    commission = (gross * Decimal("0.10")).quantize(Decimal("0.01"))
    entry = PayoutEntry.objects.create(
        cooperative=shipment.cooperative,
        shipment=shipment,
        kind=PayoutEntryKind.REFUND,
        gross_mad=-gross,
        commission_rate=Decimal("0.1000"),
        commission_mad=-commission,
        net_mad=-(gross - commission),
    )
    PayoutEntry.objects.filter(pk=entry.pk).update(created_at=on)
    return entry


def pay_out(cooperative, *, reference, admin, entries=None):
    """Pay out the cooperative's unpaid entries (or the given ones) under a bank reference."""
    entries = (
        entries if entries is not None else PayoutEntry.objects.filter(cooperative=cooperative)
    )
    return create_payout(entries, reference=reference, by=admin)


@pytest.fixture
def admin(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def manager_client(client, cooperative):
    client.force_login(MembershipFactory(cooperative=cooperative, role=MembershipRole.MANAGER).user)
    return client


def sales_url(cooperative, name="sales") -> str:
    return reverse(f"workspace:{name}", args=[cooperative.pk])


# ---------------------------------------------------------------------------
# Sales by month
# ---------------------------------------------------------------------------
def test_months_are_calendar_months_in_casablanca_time_with_refunds_in_their_month(
    cooperative,
):
    assert settings.TIME_ZONE == "Africa/Casablanca"
    # 23:30 on 31 January in Casablanca (UTC+1): a January sale.
    january = sell(cooperative, goods=Decimal("1000.00"), paid_at=at("2025-01-31T22:30"))
    # 00:30 on 1 February in Casablanca, still January in UTC: a February sale.
    sell(cooperative, goods=Decimal("400.00"), paid_at=at("2025-01-31T23:30"))
    # The January sale refunded in March.
    refund(january, gross=Decimal("200.00"), on=at("2025-03-10T12:00"))
    # Another cooperative's sale the same night never counts here.
    sell(CooperativeFactory(), goods=Decimal("9000.00"), paid_at=at("2025-01-31T22:30"))

    months = sales_by_month(cooperative, months=4, now=at("2025-03-15T12:00"))

    assert [
        (m.month.isoformat(), m.orders, m.gross_mad, m.refunds_mad, m.commission_mad, m.net_mad)
        for m in months
    ] == [
        (
            "2025-03-01",
            0,
            Decimal("0.00"),
            Decimal("-200.00"),
            Decimal("-20.00"),
            Decimal("-180.00"),
        ),
        ("2025-02-01", 1, Decimal("500.00"), Decimal("0.00"), Decimal("50.00"), Decimal("450.00")),
        (
            "2025-01-01",
            1,
            Decimal("1100.00"),
            Decimal("0.00"),
            Decimal("110.00"),
            Decimal("990.00"),
        ),
        ("2024-12-01", 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    assert [m.bar for m in months] == [0, 45, 100, 0]
    assert months[3].is_empty
    assert not months[0].is_empty


def test_months_before_the_window_are_left_out(cooperative):
    sell(cooperative, paid_at=at("2024-11-30T22:30"))  # 30 November in Casablanca

    months = sales_by_month(cooperative, months=4, now=at("2025-03-15T12:00"))

    assert all(month.is_empty for month in months)
    assert months[-1].month.isoformat() == "2024-12-01"


def test_twelve_months_up_to_this_one_by_default(cooperative):
    sell(cooperative, goods=Decimal("300.00"), shipping=Decimal("0.00"))

    months = sales_by_month(cooperative)

    assert len(months) == 12
    this_month = timezone.localdate().replace(day=1)
    assert (months[0].month, months[0].gross_mad, months[0].orders) == (
        this_month,
        Decimal("300.00"),
        1,
    )
    assert months[1].month < this_month


# ---------------------------------------------------------------------------
# Best-selling products
# ---------------------------------------------------------------------------
def test_top_products_by_revenue_from_paid_shipments_only(cooperative):
    bowl, carpet, lamp = (ProductFactory(cooperative=cooperative) for _ in range(3))
    sell(cooperative, lines=[(bowl, 1, Decimal("100.00")), (carpet, 1, Decimal("2000.00"))])
    sell(cooperative, lines=[(bowl, 3, Decimal("100.00"))])
    # A deleted product's lines are grouped by the title frozen on them.
    sell(cooperative, lines=[("طاجين قديم", 2, Decimal("150.00"))])
    sell(cooperative, lines=[("طاجين قديم", 1, Decimal("150.00"))])
    # Not sales: an unpaid order, a shipment cancelled (refunded before it left).
    sell(cooperative, order_status=OrderStatus.AWAITING_PAYMENT, lines=[(lamp, 9, Decimal("900"))])
    sell(cooperative, status=ShipmentStatus.CANCELLED, lines=[(lamp, 9, Decimal("900.00"))])
    # Another cooperative's best seller.
    other = CooperativeFactory()
    sell(other, lines=[(ProductFactory(cooperative=other), 5, Decimal("9000.00"))])

    top = top_products(cooperative)

    assert [(item.product_id, item.title, item.pieces, item.revenue_mad) for item in top] == [
        (carpet.pk, carpet.title, 1, Decimal("2000.00")),
        (None, "طاجين قديم", 3, Decimal("450.00")),
        (bowl.pk, bowl.title, 4, Decimal("400.00")),
    ]
    assert len(top_products(cooperative, limit=2)) == 2


def test_top_products_shows_a_renamed_product_once_under_its_current_title(cooperative):
    carpet = ProductFactory(cooperative=cooperative, title="Old name")
    sell(cooperative, lines=[(carpet, 1, Decimal("100.00"))])
    carpet.title = "New name"
    carpet.save()
    sell(cooperative, lines=[(carpet, 2, Decimal("100.00"))])

    [item] = top_products(cooperative)

    assert (item.title, item.pieces, item.revenue_mad) == ("New name", 3, Decimal("300.00"))


# ---------------------------------------------------------------------------
# Payout statement
# ---------------------------------------------------------------------------
def test_statement_moves_entries_from_owed_to_paid_with_the_payout(cooperative, admin):
    first = sell(cooperative, goods=Decimal("1000.00"), shipping=Decimal("100.00"))
    second = sell(cooperative, goods=Decimal("500.00"), shipping=Decimal("0.00"))
    sell(CooperativeFactory(), goods=Decimal("7000.00"))  # another cooperative's money

    before = payout_statement(cooperative)
    payout = pay_out(
        cooperative,
        reference="VIR-2025-001",
        admin=admin,
        entries=PayoutEntry.objects.filter(shipment=first),
    )
    after = payout_statement(cooperative)

    assert (before.owed_mad, before.paid_mad, before.payout_count) == (
        Decimal("1440.00"),
        Decimal("0.00"),
        0,
    )
    assert len(before.unpaid_entries) == 2
    assert (after.owed_mad, after.paid_mad, after.payout_count) == (
        Decimal("450.00"),
        Decimal("990.00"),
        1,
    )
    [shown] = after.payouts
    assert (shown.pk, shown.reference, shown.total_mad, shown.entry_count) == (
        payout.pk,
        "VIR-2025-001",
        Decimal("990.00"),
        1,
    )
    [waiting] = after.unpaid_entries
    assert (waiting.shipment_id, waiting.order_number, waiting.net_mad) == (
        second.pk,
        second.order.number,
        Decimal("450.00"),
    )
    assert not after.is_empty
    assert after.more_payouts == 0


def test_a_refund_after_the_payout_is_owed_back(cooperative, admin):
    shipment = sell(cooperative, goods=Decimal("1000.00"), shipping=Decimal("0.00"))
    pay_out(cooperative, reference="VIR-1", admin=admin)
    refund(shipment, gross=Decimal("300.00"), on=timezone.now())

    statement = payout_statement(cooperative)

    assert (statement.owed_mad, statement.paid_mad) == (Decimal("-270.00"), Decimal("900.00"))
    assert [entry.kind for entry in statement.unpaid_entries] == [PayoutEntryKind.REFUND]


def test_statement_of_a_cooperative_that_sold_nothing_is_empty(cooperative):
    sell(CooperativeFactory())

    statement = payout_statement(cooperative)

    assert statement.is_empty
    assert (statement.owed_mad, statement.paid_mad, statement.payouts) == (0, 0, [])


# ---------------------------------------------------------------------------
# The Sales and payouts page
# ---------------------------------------------------------------------------
def test_page_shows_months_best_sellers_and_the_statement(manager_client, cooperative, admin):
    carpet = ProductFactory(cooperative=cooperative, title="Beni Ouarain")
    paid_out = sell(cooperative, lines=[(carpet, 1, Decimal("1000.00"))])
    pay_out(cooperative, reference="VIR-2025-042", admin=admin)
    waiting = sell(cooperative, goods=Decimal("250.00"), shipping=Decimal("0.00"))
    other = CooperativeFactory()
    sell(other, goods=Decimal("7777.00"))
    pay_out(other, reference="VIR-OTHER-9", admin=admin)

    response = manager_client.get(sales_url(cooperative))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Sales and payouts" in page
    assert "VIR-2025-042" in page
    assert "990.00\xa0MAD" in page  # paid: 1,100.00 less 10%
    assert "225.00\xa0MAD" in page  # owed: 250.00 less 10%
    assert waiting.order.number in page
    assert paid_out.order.number not in page  # paid out: no longer waiting
    assert reverse("workspace:product_edit", args=[cooperative.pk, carpet.pk]) in page
    assert reverse("workspace:shipments_csv", args=[cooperative.pk]) in page
    assert reverse("workspace:payouts_csv", args=[cooperative.pk]) in page
    # Nothing of the other cooperative.
    assert "VIR-OTHER-9" not in page
    assert "7,777" not in page
    assert "No sales yet." not in page


def test_page_before_any_sale_says_so(manager_client, cooperative):
    sell(CooperativeFactory())

    response = manager_client.get(sales_url(cooperative))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "No sales yet." in page
    assert reverse("workspace:payouts_csv", args=[cooperative.pk]) not in page


@pytest.mark.parametrize("name", ["sales", "shipments_csv", "payouts_csv"])
def test_members_below_manager_are_refused(client, cooperative, name):
    sell(cooperative)
    client.force_login(MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER).user)

    response = client.get(sales_url(cooperative, name))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "managers and owners" in response.content.decode()


@pytest.mark.parametrize("name", ["sales", "shipments_csv", "payouts_csv"])
def test_people_outside_the_cooperative_get_not_found(client, cooperative, name):
    sell(cooperative)
    # The owner of another cooperative, signed in.
    client.force_login(MembershipFactory(role=MembershipRole.OWNER).user)

    response = client.get(sales_url(cooperative, name))

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", ["sales", "shipments_csv", "payouts_csv"])
def test_owners_see_money_too(client, cooperative, name):
    client.force_login(MembershipFactory(cooperative=cooperative, role=MembershipRole.OWNER).user)

    assert client.get(sales_url(cooperative, name)).status_code == HTTPStatus.OK


def test_page_is_read_only(manager_client, cooperative):
    response = manager_client.post(sales_url(cooperative))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def fill(cooperative, admin, n: int) -> None:
    """n payouts of one entry each, n entries waiting (one refunded), n best sellers."""
    for _ in range(n):
        sell(cooperative, lines=[(ProductFactory(cooperative=cooperative), 2, Decimal("500.00"))])
        pay_out(cooperative, reference="VIR", admin=admin)
    for _ in range(n):
        shipment = sell(cooperative)
    refund(shipment, gross=Decimal("100.00"), on=timezone.now())


@pytest.mark.parametrize("n", [1, 30])
def test_page_queries_do_not_grow_with_sales(
    manager_client, cooperative, admin, django_assert_num_queries, n
):
    fill(cooperative, admin, n)

    # Session, user, memberships; months, best sellers; paid, payouts, waiting entries.
    with django_assert_num_queries(8):
        response = manager_client.get(sales_url(cooperative))

    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("VIR") == min(n, 24)


@pytest.mark.parametrize("n", [1, 30])
@pytest.mark.parametrize("name", ["shipments_csv", "payouts_csv"])
def test_downloads_query_once_whatever_the_rows(
    manager_client, cooperative, admin, django_assert_num_queries, n, name
):
    fill(cooperative, admin, n)

    with django_assert_num_queries(4):  # session, user, memberships; the rows
        response = manager_client.get(sales_url(cooperative, name))
        _, rows = read_csv(response)

    assert len(rows) > 2 * n


# ---------------------------------------------------------------------------
# CSV downloads
# ---------------------------------------------------------------------------
def test_shipments_csv_has_the_paid_shipments_safe_for_a_spreadsheet(manager_client, cooperative):
    shipped = sell(
        cooperative,
        goods=Decimal("1234.50"),
        shipping=Decimal("45.00"),
        paid_at=at("2025-01-31T23:30"),  # 1 February in Casablanca
        lines=[("Tapis", 2, Decimal("617.25"))],
        status=ShipmentStatus.SHIPPED,
        carrier="أمانة",
        tracking_number='=HYPERLINK("http://evil.example")',
        shipped_at=at("2025-02-03T10:00"),
    )
    unpaid = sell(cooperative, order_status=OrderStatus.AWAITING_PAYMENT)
    other = sell(CooperativeFactory())

    response = manager_client.get(sales_url(cooperative, "shipments_csv"))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{cooperative.slug}-shipments-{today}.csv"'
    )
    body, rows = read_csv(response)
    assert body.startswith(b"\xef\xbb\xbf")
    header, *data = rows
    assert header[:3] == ["Order", "Paid on", "Status"]
    assert data == [
        [
            shipped.order.number,
            "2025-02-01",
            "shipped",
            "MA",
            "2",
            "1234.50",
            "45.00",
            "أمانة",
            '\'=HYPERLINK("http://evil.example")',
            "2025-02-03",
            "",
        ]
    ]
    text = body.decode("utf-8-sig")
    assert unpaid.order.number not in text
    assert other.order.number not in text


def test_payouts_csv_lists_every_entry_with_its_payout(manager_client, cooperative, admin):
    sale = sell(cooperative, goods=Decimal("1000.00"), shipping=Decimal("100.00"))
    pay_out(cooperative, reference="-VIR 2025/7 @bank", admin=admin)
    refund(sale, gross=Decimal("100.00"), on=timezone.now())
    sell(CooperativeFactory(), goods=Decimal("7777.00"))

    response = manager_client.get(sales_url(cooperative, "payouts_csv"))

    assert response.status_code == HTTPStatus.OK
    today = timezone.localdate().isoformat()
    assert f"{cooperative.slug}-payouts-{today}.csv" in response["Content-Disposition"]
    body, rows = read_csv(response)
    assert body.startswith(b"\xef\xbb\xbf")
    header, *data = rows
    assert header == [
        "Date",
        "Kind",
        "Order",
        "Gross (MAD)",
        "Commission rate (%)",
        "Commission (MAD)",
        "Net (MAD)",
        "Payout reference",
        "Paid out on",
    ]
    number = sale.order.number
    assert data == [
        # The bank reference starts with "-": defused. Negative amounts stay numbers.
        [
            today,
            "sale",
            number,
            "1100.00",
            "10.00",
            "110.00",
            "990.00",
            "'-VIR 2025/7 @bank",
            today,
        ],
        [today, "refund", number, "-100.00", "10.00", "-10.00", "-90.00", "", ""],
    ]


def test_csv_rows_keep_arabic_text_and_defuse_every_formula_start(cooperative):
    for start in ("=", "+", "-", "@", "\t", "\r"):
        sell(cooperative, tracking_number=f"{start}1+1", carrier="بريد المغرب")

    header, *data = list(shipment_rows(cooperative))

    assert len(header) == 11
    assert sorted(row[8] for row in data) == sorted(
        f"'{start}1+1" for start in ("=", "+", "-", "@", "\t", "\r")
    )
    assert {row[7] for row in data} == {"بريد المغرب"}
    assert [row[1] for row in payout_rows(cooperative)][1:] == ["sale"] * 6


def test_csv_download_streams_a_spreadsheet_ready_attachment():
    rows = iter([["Coopérative", "Note"], ["تعاونية الأطلس", "'=1+1"], ["Atlas, Fès", 'say "hi"']])

    response = csv_download(rows, "souk-export-2025-02-01.csv")

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="souk-export-2025-02-01.csv"')
    body, read = read_csv(response)
    assert body.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    assert read == [
        ["Coopérative", "Note"],
        ["تعاونية الأطلس", "'=1+1"],
        ["Atlas, Fès", 'say "hi"'],
    ]
