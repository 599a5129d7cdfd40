"""The seller workspace's money pages: sales, payouts, and their CSV downloads (managers up)."""

import csv
from collections.abc import Iterable, Iterator
from itertools import chain

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from artisans.access import Workspace, render_workspace, workspace_view
from artisans.models import MembershipRole
from payments.statements import (
    payout_rows,
    payout_statement,
    sales_by_month,
    shipment_rows,
    top_products,
)

# Excel reads a CSV file as the local ANSI code page unless it starts with a byte order mark:
# without it, Arabic titles and addresses come out as mojibake.
UTF8_BOM = "\ufeff"


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


def export_name(workspace: Workspace, what: str) -> str:
    """Name a download for the cooperative, contents and day: atlas-payouts-2025-02-01.csv"""
    return f"{workspace.cooperative.slug}-{what}-{timezone.localdate().isoformat()}.csv"


@workspace_view(role=MembershipRole.MANAGER)
@require_safe
def sales(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    cooperative = workspace.cooperative
    months = sales_by_month(cooperative)
    return render_workspace(
        request,
        workspace,
        "payments/workspace/sales.html",
        {
            "section": "sales",
            "months": months,
            "has_recent_sales": any(not month.is_empty for month in months),
            "top_products": top_products(cooperative),
            "statement": payout_statement(cooperative),
        },
    )


@workspace_view(role=MembershipRole.MANAGER)
@require_safe
def shipments_csv(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return csv_download(shipment_rows(workspace.cooperative), export_name(workspace, "shipments"))


@workspace_view(role=MembershipRole.MANAGER)
@require_safe
def payouts_csv(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return csv_download(payout_rows(workspace.cooperative), export_name(workspace, "payouts"))
