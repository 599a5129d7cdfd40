"""A cooperative's first sale, in a real browser: register, get verified, list a carpet with a
photo, get it approved, sell it abroad, ship it and download its CN23.

Three people, each in their own browser context: the artisan, a Souk admin, and a buyer in
the United States paying by card through localstripe.
"""

import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from artisans.models import Cooperative, CooperativeStatus, MembershipRole
from catalog.models import Product, ProductStatus
from marketplace.models import OrderStatus, ShipmentStatus
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_checkout_journey import (
    USA,
    VISA,
    check_out,
    enter_card,
    pay_button,
    sign_in,
    take_screenshots,
)
from tests.factories import EmailAddressFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(10_000)
    return context.new_page()


def carpet_photo(folder: Path) -> Path:
    """A real JPEG, as a phone would send it."""
    path = folder / "carpet.jpg"
    image = Image.new("RGB", (1200, 900), (236, 226, 208))
    for x in range(0, 1200, 60):
        image.paste((120, 40, 30), (x, 0, x + 12, 900))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


def run_admin_action(page: Page, changelist: str, row_text: str, action: str) -> None:
    """Tick the row in a Django admin list and run one of its actions."""
    page.goto(changelist)
    row = page.locator("#result_list tbody tr", has_text=row_text)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_be_visible()


def test_a_cooperative_registers_lists_sells_ships_and_prints_its_cn23(
    browser: Browser, live_server, reference_data, default_rates, localstripe, screenshots: Path
) -> None:
    artisan = UserFactory(email="fatima@example.com")
    EmailAddressFactory(user=artisan)
    admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    seller, moderator, buyer = (new_page(browser, live_server) for _ in range(3))
    errors: list[str] = []
    for page in (seller, buyer):
        page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(seller, artisan, live_server)
    sign_in(moderator, admin, live_server)
    too_wide: list[str] = []

    # 1. The artisan registers the cooperative from the header's "Sell" link.
    seller.goto("/en/")
    seller.get_by_role("link", name="Sell", exact=True).click()
    seller.get_by_role("link", name="Register your cooperative").click()
    seller.get_by_label("Name of the cooperative").fill("Tamgounsi Weavers")
    seller.get_by_label("Region").select_option(label="Souss-Massa")
    seller.get_by_label("City").fill("Taroudant")
    seller.get_by_label("Number of members").fill("18")
    seller.get_by_label("Of whom women").fill("15")
    seller.get_by_label("Your story").fill("Women weavers of the Souss, knotting wool by hand.")
    seller.get_by_label("Phone").fill("+212 528 85 00 00")
    too_wide += take_screenshots(seller, screenshots, "register")
    seller.get_by_role("button", name="Register").click()
    expect(seller.get_by_text("Souk is checking your cooperative.")).to_be_visible()
    cooperative = Cooperative.objects.get(name="Tamgounsi Weavers")
    assert cooperative.status == CooperativeStatus.PENDING
    assert cooperative.memberships.get().role == MembershipRole.OWNER

    # 2. A Souk admin verifies it.
    run_admin_action(
        moderator, "/en/admin/artisans/cooperative/", "Tamgounsi", "Verify selected cooperatives"
    )
    cooperative.refresh_from_db()
    assert cooperative.status == CooperativeStatus.VERIFIED

    # 3. The artisan lists a carpet: the craft proposes its HS code; then a photo; then review.
    seller.goto(reverse("workspace:product_create", args=[cooperative.pk]))
    seller.get_by_label("Title").fill("Azilal carpet, saffron diamonds")
    seller.locator("main").get_by_label("Craft").select_option(label="Knotted carpets")
    expect(seller.get_by_label("HS customs code")).to_have_value(re.compile(r"5701\.?10"))
    seller.get_by_label("Price in dirhams (MAD)").fill("4800")
    seller.get_by_label("Weight in grams").fill("9000")
    seller.get_by_label("Materials").fill("wool")
    too_wide += take_screenshots(seller, screenshots, "product-new")
    seller.get_by_role("button", name="Save the draft").click()
    seller.get_by_label("Add photos").set_input_files(carpet_photo(screenshots))
    seller.get_by_role("button", name="Add the photos").click()
    expect(seller.locator("img[src*='/media/products/']").first).to_be_visible()
    seller.get_by_role("button", name="Submit for review").click()
    product = Product.objects.get(title="Azilal carpet, saffron diamonds")
    assert (product.status, product.hs_code.code, product.images.count()) == (
        ProductStatus.PENDING,
        "570110",
        1,
    )
    too_wide += take_screenshots(seller, screenshots, "product-pending")

    # 4. The admin approves it: buyers can now find it.
    run_admin_action(
        moderator, "/en/admin/catalog/product/", "Azilal carpet", "Approve selected products"
    )
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED

    # 5. A buyer in the United States orders it and pays in dollars.
    buyer.goto(f"/en/products/{product.slug}/")
    buyer.get_by_role("button", name="Add to cart").click()
    buyer.get_by_label("Show prices in").select_option(USA.currency)
    buyer.get_by_label("Ship to").select_option(USA.country)
    buyer.get_by_role("button", name="Update").click()
    order = check_out(buyer, USA, email="emily@example.com")
    enter_card(buyer, VISA)
    pay_button(buyer, order).click()
    expect(buyer.locator(".order-status")).to_have_text("paid")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    shipment = order.shipments.get()

    # 6. The cooperative finds the order, ships it, and downloads the CN23.
    seller.goto(reverse("workspace:dashboard", args=[cooperative.pk]))
    seller.get_by_role("link", name="Orders", exact=True).click()
    seller.get_by_role("link", name=order.number).click()
    too_wide += take_screenshots(seller, screenshots, "shipment")
    seller.get_by_label("Carrier:", exact=True).select_option("DHL")
    seller.get_by_label("Tracking number").fill("JD014600003828")
    seller.get_by_role("button", name="Mark shipped").click()
    expect(seller.get_by_text("JD014600003828").first).to_be_visible()
    shipment.refresh_from_db()
    assert (shipment.status, shipment.carrier, shipment.tracking_number) == (
        ShipmentStatus.SHIPPED,
        "DHL",
        "JD014600003828",
    )

    with seller.expect_download() as download:
        seller.get_by_role("link", name="Download the PDF").first.click()
    assert download.value.suggested_filename.startswith("CN23")
    pdf = screenshots / "cn23.pdf"
    download.value.save_as(pdf)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    line = shipment.lines.get()
    assert "CN23" in text.replace(" ", "")
    assert "5701.10" in text  # HS code
    assert "9.000" in text  # net weight, kg
    assert f"{line.unit_price:.2f}" in text.replace(",", "")  # value in dollars
    assert "USD" in text
    assert "Morocco" in text  # origin
    assert "Sale of goods" in text
    assert line.unit_price == (Decimal("4800") / order.mad_per_unit).quantize(Decimal("0.01"))

    # The buyer's order page says it is on its way.
    buyer.reload()
    expect(buyer.get_by_text("JD014600003828")).to_be_visible()

    assert errors == []
    assert too_wide == [], "pages scroll sideways on a 375 px phone"
