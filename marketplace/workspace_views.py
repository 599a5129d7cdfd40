"""The seller workspace's overview, and its orders: shipments to send, their customs papers.

Every view is scoped by artisans.access.workspace_view and reads shipments through the
cooperative (marketplace.shipments.shipment_of): another cooperative's shipment is a 404.
Sending a paid parcel is allowed while the cooperative is suspended: its buyers have paid.
The overview lives here, not in artisans: it counts products (catalog) and shipments, and
artisans imports neither catalog nor marketplace.
"""

from http import HTTPStatus
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from artisans.access import Workspace, render_workspace, workspace_view
from catalog.listing import count_by_status
from catalog.models import ProductStatus
from marketplace import customs, shipments
from marketplace.forms import ShipForm
from marketplace.models import Shipment
from marketplace.pdf import html_to_pdf
from marketplace.shipments import ShipmentTab

SHIPMENTS_PER_PAGE = 25
DECLARATION = "marketplace/customs/declaration.html"
INVOICE = "marketplace/customs/invoice.html"
PRINT_CSS = "css/customs.css"


@workspace_view()
def dashboard(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The cooperative's status, its products by status, and the paid orders to send."""
    cooperative = workspace.cooperative
    products = count_by_status(cooperative)
    context = {
        "section": "overview",
        "product_counts": [
            (status.value, status.label, products[status]) for status in ProductStatus
        ],
        "product_total": sum(products.values()),
        "to_ship": shipments.count_tabs(cooperative)[ShipmentTab.TO_SHIP],
    }
    return render_workspace(request, workspace, "marketplace/workspace/dashboard.html", context)


@workspace_view()
def shipment_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    cooperative = workspace.cooperative
    tab = request.GET.get("tab")
    tab = tab if tab in ShipmentTab.values else ShipmentTab.TO_SHIP
    rows = shipments.shipments_in_tab(cooperative, tab)
    page = Paginator(rows, SHIPMENTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = shipments.count_tabs(cooperative)
    context = {
        "section": "shipments",
        "tab": tab,
        "tabs": [(choice.value, choice.label, counts[choice.value]) for choice in ShipmentTab],
        "page_obj": page,
        "query": QueryDict(f"tab={tab}"),
    }
    return render_workspace(request, workspace, "marketplace/workspace/shipment_list.html", context)


@workspace_view()
def shipment_detail(request: HttpRequest, workspace: Workspace, shipment_id: int) -> HttpResponse:
    shipment = shipments.shipment_of(workspace.cooperative, shipment_id)
    return render_shipment(request, workspace, shipment, ShipForm())


@workspace_view(while_suspended=True)
@require_POST
def mark_shipped(request: HttpRequest, workspace: Workspace, shipment_id: int) -> HttpResponse:
    shipment = shipments.shipment_of(workspace.cooperative, shipment_id)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return render_shipment(request, workspace, shipment, form, status=HTTPStatus.BAD_REQUEST)
    try:
        shipments.mark_shipped(
            shipment,
            carrier=form.carrier_name(),
            tracking_number=form.cleaned_data["tracking_number"],
        )
    except shipments.WrongShipmentStatus as error:
        return render_shipment(
            request, workspace, shipment, form, error=error, status=HTTPStatus.CONFLICT
        )
    messages.success(
        request,
        gettext("Marked shipped. The buyer gets a mail with the tracking number."),
    )
    return redirect("workspace:shipment_detail", workspace.cooperative.pk, shipment.pk)


@workspace_view(while_suspended=True)
@require_POST
def mark_delivered(request: HttpRequest, workspace: Workspace, shipment_id: int) -> HttpResponse:
    shipment = shipments.shipment_of(workspace.cooperative, shipment_id)
    try:
        shipments.mark_delivered(shipment)
    except shipments.WrongShipmentStatus as error:
        return render_shipment(
            request, workspace, shipment, ShipForm(), error=error, status=HTTPStatus.CONFLICT
        )
    messages.success(request, gettext("Marked delivered."))
    return redirect("workspace:shipment_detail", workspace.cooperative.pk, shipment.pk)


@workspace_view()
def customs_declaration(
    request: HttpRequest, workspace: Workspace, shipment_id: int
) -> HttpResponse:
    return customs_document(request, workspace, shipment_id, template=DECLARATION)


@workspace_view()
def customs_declaration_pdf(
    request: HttpRequest, workspace: Workspace, shipment_id: int
) -> HttpResponse:
    return customs_document(request, workspace, shipment_id, template=DECLARATION, as_pdf=True)


@workspace_view()
def commercial_invoice(
    request: HttpRequest, workspace: Workspace, shipment_id: int
) -> HttpResponse:
    return customs_document(request, workspace, shipment_id, template=INVOICE)


@workspace_view()
def commercial_invoice_pdf(
    request: HttpRequest, workspace: Workspace, shipment_id: int
) -> HttpResponse:
    return customs_document(request, workspace, shipment_id, template=INVOICE, as_pdf=True)


# ---------------------------------------------------------------- rendering


def render_shipment(
    request: HttpRequest,
    workspace: Workspace,
    shipment: Shipment,
    form: ShipForm,
    *,
    error: ValidationError | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    """The shipment's page: buyer's address, lines, history, the next step, its papers."""
    papers, missing = None, []
    if shipment.status in shipments.PAID_STATUSES:
        try:
            papers = customs.customs_papers(shipment)
        except customs.MissingCustomsData as gaps:
            missing = missing_items(workspace, gaps)
    lines = list(shipment.lines.all())
    # The HS code and weight the papers will print (the product's, for a line without).
    rows = [
        {
            "line": line,
            "hs_code": customs.dotted_hs_code(customs.line_hs_code(line)),
            "weight_grams": customs.line_weight_grams(line),
        }
        for line in lines
    ]
    context = {
        "section": "shipments",
        "shipment": shipment,
        "order": shipment.order,
        "rows": rows,
        "pieces": sum(line.quantity for line in lines),
        "form": form,
        "error": error,
        "papers": papers,
        "missing": missing,
    }
    return render_workspace(
        request, workspace, "marketplace/workspace/shipment_detail.html", context, status=status
    )


def customs_document(
    request: HttpRequest,
    workspace: Workspace,
    shipment_id: int,
    *,
    template: str,
    as_pdf: bool = False,
) -> HttpResponse:
    """A paid shipment's declaration or invoice, as a page to print or a PDF.

    When something is missing, the list of what and where to fix it instead (409). A parcel
    within Morocco has no customs declaration (404, with a page saying so).
    """
    shipment = shipments.shipment_of(workspace.cooperative, shipment_id, paid=True)
    try:
        papers = customs.customs_papers(shipment)
    except customs.MissingCustomsData as gaps:
        context = {
            "section": "shipments",
            "shipment": shipment,
            "missing": missing_items(workspace, gaps),
        }
        return render_workspace(
            request,
            workspace,
            "marketplace/workspace/customs_missing.html",
            context,
            status=HTTPStatus.CONFLICT,
        )
    if template == DECLARATION and papers.domestic:
        return render_workspace(
            request,
            workspace,
            "marketplace/workspace/customs_not_needed.html",
            {"section": "shipments", "shipment": shipment},
            status=HTTPStatus.NOT_FOUND,
        )
    context = {"papers": papers, "workspace": workspace, "for_pdf": as_pdf}
    if not as_pdf:
        return render(request, template, context)
    pdf = html_to_pdf(render_to_string(template, context), stylesheets=[print_stylesheet()])
    name = papers.form if template == DECLARATION else "invoice"
    filename = f"{name}-{papers.invoice_number}.pdf"
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def missing_items(workspace: Workspace, gaps: customs.MissingCustomsData) -> list[dict]:
    """What the papers lack, each with where to fix it: a page of the workspace, or a hint."""
    cooperative = workspace.cooperative
    items = []
    for gap in gaps.error_list:
        params = gap.params or {}
        item = {"message": gap.message % params, "url": "", "label": "", "hint": ""}
        line = params.get("line")
        if line is not None and line.product_id is not None:
            item["url"] = reverse("workspace:product_edit", args=[cooperative.pk, line.product_id])
            item["label"] = gettext("Complete the product")
        elif line is not None:
            item["hint"] = gettext(
                "The product was deleted since: write to the Souk team to complete the papers."
            )
        elif gap.code.startswith("no_sender") and workspace.manages_cooperative:
            item["url"] = reverse("workspace:profile", args=[cooperative.pk])
            item["label"] = gettext("Complete the profile")
        elif gap.code.startswith("no_sender"):
            item["hint"] = gettext("An owner of the cooperative can complete it in the profile.")
        else:
            item["hint"] = gettext("Write to the Souk team: they will complete it.")
        items.append(item)
    return items


def print_stylesheet() -> str:
    """The papers' CSS as text, for the PDF (the page to print links to the same file)."""
    return Path(finders.find(PRINT_CSS)).read_text(encoding="utf-8")
