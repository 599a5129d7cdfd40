"""What a cooperative sold and was paid: the numbers of its Sales and payouts page and CSVs.

Read only; csv_download() streams such rows as a spreadsheet-ready file, for the workspace's
downloads and the admin's exports alike. Money figures come from the payout ledger
(payments.ledger), which is what Souk owes and pays; pieces and revenue per product come from
the frozen order lines. Months are calendar months in the site's time zone (settings.TIME_ZONE),
not UTC: a sale at 00:30 on 1 February in Casablanca is a February sale.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain

from django.db.models import Case, Count, DecimalField, F, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from marketplace.models import OrderLine, OrderStatus, Shipment, ShipmentStatus
from payments.models import Payout, PayoutEntry, PayoutEntryKind

ZERO = Decimal("0.00")
# The page lists the latest payouts; the payouts CSV has every one.
PAYOUTS_SHOWN = 24
# Rows fetched per round trip by the CSV exports, which never hold every row in memory.
EXPORT_CHUNK = 500
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV file as the local ANSI code page unless it starts with a byte order mark:
# without it, Arabic titles and addresses come out as mojibake.
UTF8_BOM = "\ufeff"


def site_time_zone():
    """The zone of settings.TIME_ZONE, whatever zone a request may have activated."""
    return timezone.get_default_timezone()


# ---------------------------------------------------------------------------
# Sales by month
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthSales:
    month: date  # its first day
    gross_mad: Decimal  # goods and shipping of the shipments paid that month
    refunds_mad: Decimal  # given back that month: zero or negative
    commission_mad: Decimal  # taken on sales, less what refunds gave back
    net_mad: Decimal  # what the month earned the cooperative
    orders: int  # shipments paid that month
    bar: int = 0  # gross as a percentage of the best month's, for the page's bar

    @property
    def is_empty(self) -> bool:
        return not self.orders and not self.refunds_mad


def month_starts(now: datetime, months: int) -> list[date]:
    """Return the first days of the last `months` calendar months up to now's, newest first."""
    year, month = now.year, now.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts


def sales_by_month(
    cooperative, *, months: int = 12, now: datetime | None = None
) -> list[MonthSales]:
    """Return the cooperative's last `months` calendar months, newest first, quiet ones as zero."""
    zone = site_time_zone()
    starts = month_starts(timezone.localtime(now or timezone.now(), zone), months)
    oldest = starts[-1]
    since = datetime(oldest.year, oldest.month, 1, tzinfo=zone)
    rows = (
        PayoutEntry.objects.filter(cooperative=cooperative, created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(
            gross=Sum("gross_mad", filter=Q(kind=PayoutEntryKind.SALE)),
            refunds=Sum("gross_mad", filter=Q(kind=PayoutEntryKind.REFUND)),
            commission=Sum("commission_mad"),
            net=Sum("net_mad"),
            orders=Count("pk", filter=Q(kind=PayoutEntryKind.SALE)),
        )
        .order_by("month")
    )
    found = {timezone.localtime(row["month"], zone).date(): row for row in rows}
    best = max((row["gross"] or ZERO for row in found.values()), default=ZERO)
    result = []
    for start in starts:
        row = found.get(start, {})
        gross = row.get("gross") or ZERO
        result.append(
            MonthSales(
                month=start,
                gross_mad=gross,
                refunds_mad=row.get("refunds") or ZERO,
                commission_mad=row.get("commission") or ZERO,
                net_mad=row.get("net") or ZERO,
                orders=row.get("orders") or 0,
                bar=int(gross * 100 / best) if best > 0 else 0,
            )
        )
    return result


# ---------------------------------------------------------------------------
# Top products
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductSales:
    product_id: int | None  # None: the product was deleted since
    title: str
    pieces: int
    revenue_mad: Decimal


def sold_lines(cooperative):
    """The cooperative's order lines that were paid for and are not cancelled."""
    return OrderLine.objects.filter(
        shipment__cooperative=cooperative, shipment__order__status=OrderStatus.PAID
    ).exclude(shipment__status=ShipmentStatus.CANCELLED)


def top_products(cooperative, *, limit: int = 10) -> list[ProductSales]:
    """Return the cooperative's best-selling products by revenue in dirhams, best first."""
    rows = (
        sold_lines(cooperative)
        # One group per product; the lines of deleted products (product_id NULL) by their title.
        .values(
            "product_id",
            deleted_title=Case(When(product__isnull=True, then=F("title")), default=Value("")),
        )
        .annotate(
            # The product's current title; the title frozen on the line once it is deleted.
            shown_title=Coalesce(Max("product__title"), Max("title")),
            pieces=Sum("quantity"),
            revenue=Sum(
                F("unit_price_mad") * F("quantity"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        .order_by("-revenue", "-pieces", "shown_title")[:limit]
    )
    return [
        ProductSales(
            product_id=row["product_id"],
            title=row["shown_title"],
            pieces=row["pieces"],
            revenue_mad=row["revenue"],
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------
# Payout statement
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PayoutStatement:
    owed_mad: Decimal  # entries not paid out yet: negative when refunds outweigh sales
    paid_mad: Decimal  # every payout to date
    payout_count: int
    payouts: list[Payout]  # the latest PAYOUTS_SHOWN, each with entry_count
    unpaid_entries: list[PayoutEntry]  # each with order_number

    @property
    def is_empty(self) -> bool:
        """Nothing sold yet: no payout made and no entry waiting for one."""
        return not self.payout_count and not self.unpaid_entries

    @property
    def more_payouts(self) -> int:
        return self.payout_count - len(self.payouts)


def payout_statement(cooperative) -> PayoutStatement:
    """Return what Souk owes the cooperative now, what it paid, and the entries behind both."""
    paid = Payout.objects.filter(cooperative=cooperative).aggregate(
        total=Sum("total_mad"), count=Count("pk")
    )
    payouts = (
        Payout.objects.filter(cooperative=cooperative)
        .annotate(entry_count=Count("entries"))
        .order_by("-paid_at", "-pk")[:PAYOUTS_SHOWN]
    )
    unpaid = (
        PayoutEntry.objects.filter(cooperative=cooperative, payout__isnull=True)
        .annotate(order_number=F("shipment__order__number"))
        .order_by("-created_at", "-pk")
    )
    unpaid = list(unpaid)
    return PayoutStatement(
        owed_mad=sum((entry.net_mad for entry in unpaid), ZERO),
        paid_mad=paid["total"] or ZERO,
        payout_count=paid["count"],
        payouts=list(payouts),
        unpaid_entries=unpaid,
    )


# ---------------------------------------------------------------------------
# CSV exports: rows of strings, the header first, streamed from the database as a download
# ---------------------------------------------------------------------------
def spreadsheet_text(value) -> str:
    """Return text a spreadsheet shows as typed: a leading quote defuses a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def plain_amount(value: Decimal | None) -> str:
    """Return an amount as a spreadsheet reads a number: 1234.50, -80.00."""
    return "" if value is None else f"{value:.2f}"


def iso_date(moment: datetime | None) -> str:
    """Return the day of a moment in the site's time zone: 2025-02-01."""
    return "" if moment is None else timezone.localtime(moment, site_time_zone()).date().isoformat()


class Echo:
    """A file-like object csv.writer writes into, handing each line back to be streamed."""

    def write(self, value: str) -> str:
        return value


def csv_download(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    """Stream rows as a UTF-8 CSV attachment, without holding them all in memory."""
    writer = csv.writer(Echo())
    lines: Iterator[str] = chain([UTF8_BOM], (writer.writerow(row) for row in rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def rows_of(
    header: list[str], values: Iterable[dict], row: Callable[[dict], list[str]]
) -> Iterator[list[str]]:
    """Yield the header, then one row per record as the database hands them over."""
    yield header
    for fields in values:
        yield row(fields)


def shipment_rows(cooperative) -> Iterator[list[str]]:
    """Return the rows of the cooperative's paid shipments, oldest first, header first."""
    # Translated now, in the request's language: the rows are read later, while streaming.
    header = [
        gettext("Order"),
        gettext("Paid on"),
        gettext("Status"),
        gettext("Destination country"),
        gettext("Pieces"),
        gettext("Goods (MAD)"),
        gettext("Shipping (MAD)"),
        gettext("Carrier"),
        gettext("Tracking number"),
        gettext("Shipped on"),
        gettext("Delivered on"),
    ]
    statuses = {value: str(label) for value, label in ShipmentStatus.choices}
    values = (
        Shipment.objects.filter(cooperative=cooperative, order__status=OrderStatus.PAID)
        .annotate(pieces=Sum("lines__quantity"))
        .order_by("order__paid_at", "pk")
        .values(
            "order__number",
            "order__paid_at",
            "status",
            "order__country",
            "pieces",
            "subtotal_mad",
            "shipping_mad",
            "carrier",
            "tracking_number",
            "shipped_at",
            "delivered_at",
        )
        .iterator(chunk_size=EXPORT_CHUNK)
    )

    def row(fields: dict) -> list[str]:
        return [
            spreadsheet_text(fields["order__number"]),
            iso_date(fields["order__paid_at"]),
            spreadsheet_text(statuses.get(fields["status"], fields["status"])),
            spreadsheet_text(fields["order__country"]),
            str(fields["pieces"] or 0),
            plain_amount(fields["subtotal_mad"]),
            plain_amount(fields["shipping_mad"]),
            spreadsheet_text(fields["carrier"]),
            spreadsheet_text(fields["tracking_number"]),
            iso_date(fields["shipped_at"]),
            iso_date(fields["delivered_at"]),
        ]

    return rows_of(header, values, row)


def payout_rows(cooperative) -> Iterator[list[str]]:
    """Return the rows of the cooperative's ledger entries, oldest first, header first."""
    header = [
        gettext("Date"),
        gettext("Kind"),
        gettext("Order"),
        gettext("Gross (MAD)"),
        gettext("Commission rate (%)"),
        gettext("Commission (MAD)"),
        gettext("Net (MAD)"),
        gettext("Payout reference"),
        gettext("Paid out on"),
    ]
    kinds = {value: str(label) for value, label in PayoutEntryKind.choices}
    values = (
        PayoutEntry.objects.filter(cooperative=cooperative)
        .order_by("created_at", "pk")
        .values(
            "created_at",
            "kind",
            "shipment__order__number",
            "gross_mad",
            "commission_rate",
            "commission_mad",
            "net_mad",
            "payout__reference",
            "payout__paid_at",
        )
        .iterator(chunk_size=EXPORT_CHUNK)
    )

    def row(fields: dict) -> list[str]:
        return [
            iso_date(fields["created_at"]),
            spreadsheet_text(kinds.get(fields["kind"], fields["kind"])),
            spreadsheet_text(fields["shipment__order__number"]),
            plain_amount(fields["gross_mad"]),
            plain_amount(fields["commission_rate"] * 100),
            plain_amount(fields["commission_mad"]),
            plain_amount(fields["net_mad"]),
            spreadsheet_text(fields["payout__reference"]),
            iso_date(fields["payout__paid_at"]),
        ]

    return rows_of(header, values, row)
