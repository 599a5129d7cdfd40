"""The seller workspace's money pages: sales, payouts, and their CSV downloads (managers up)."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from artisans.access import Workspace, render_workspace, workspace_view
from artisans.models import MembershipRole
from payments.statements import (
    csv_download,
    payout_rows,
    payout_statement,
    sales_by_month,
    shipment_rows,
    top_products,
)


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
