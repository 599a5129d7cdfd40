"""A buyer's first visit, in a real browser: home, search, catalog, product, cooperative, Arabic."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Product
from catalog.search import refresh_search_documents
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import (
    CooperativeFactory,
    CraftBranchFactory,
    CraftFactory,
    HSCodeFactory,
    ProductFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def carpet() -> Product:
    """A carpet from a weavers' cooperative, beside a tagine from another branch."""
    weavers = CooperativeFactory(name="Tifawin Weavers", slug="tifawin-weavers")
    branch = CraftBranchFactory(
        slug="pottery", name_en="Pottery", name_fr="Poterie", name_ar="الفخار"
    )
    pottery = CraftFactory(
        slug="fes-pottery",
        name_en="Fes pottery",
        name_fr="Poterie de Fès",
        name_ar="فخار فاس",
        branch=branch,
        hs_code=HSCodeFactory(code="691200", description_en="Ceramic tableware"),
    )
    ProductFactory(title="Glazed tagine from Fes", craft=pottery, price=Decimal("350.00"))
    carpet = ProductFactory(
        title="Beni Ouarain carpet, ivory", cooperative=weavers, price=Decimal("4500.00")
    )
    refresh_search_documents(Product.objects.all())
    return carpet


def take_screenshots(page: Page, folder: Path, name: str) -> None:
    """Save the whole page at phone and desktop widths, and leave the page at desktop width."""
    for label, viewport in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)


def open_filters(page: Page) -> None:
    """Unfold the catalog's filters where the layout folds them (phones)."""
    filters = page.locator("details#filters")
    if filters.count() and not filters.evaluate("element => element.open"):
        filters.locator("summary").click()


def test_buyer_finds_a_carpet_and_reads_about_its_cooperative_in_arabic(
    page: Page, carpet: Product, screenshots: Path
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    take_screenshots(page, screenshots, "home-en")

    # Search from the header, on every page.
    search = page.locator("header").get_by_role("search")
    search.get_by_role("searchbox").fill("Ouarain")
    search.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"/en/catalog/\?q=Ouarain"))
    expect(page.get_by_role("link", name="Beni Ouarain carpet, ivory")).to_be_visible()
    expect(page.get_by_role("link", name="Glazed tagine from Fes")).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog").click()
    expect(page).to_have_url(re.compile(r"/en/catalog/$"))
    expect(page.get_by_role("link", name="Glazed tagine from Fes")).to_be_visible()
    expect(page.get_by_role("link", name="Beni Ouarain carpet, ivory")).to_be_visible()
    take_screenshots(page, screenshots, "catalog-en")

    open_filters(page)
    page.get_by_role("link", name="Textiles and carpets").first.click()
    expect(page).to_have_url(re.compile(r"branch=textiles"))
    expect(page.get_by_role("link", name="Glazed tagine from Fes")).to_have_count(0)

    page.get_by_role("link", name="Beni Ouarain carpet, ivory").click()
    expect(page).to_have_url(re.compile(r"/en/products/beni-ouarain-carpet-ivory/$"))
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beni Ouarain carpet, ivory")
    expect(main).to_contain_text("4,500.00")
    expect(main).to_contain_text("5701.10")
    expect(main.get_by_role("link", name="Tifawin Weavers").first).to_be_visible()
    take_screenshots(page, screenshots, "product-en")

    main.get_by_role("link", name="Tifawin Weavers").first.click()
    expect(page).to_have_url(re.compile(r"/en/cooperatives/tifawin-weavers/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tifawin Weavers")
    expect(page.get_by_role("link", name="Beni Ouarain carpet, ivory")).to_be_visible()
    take_screenshots(page, screenshots, "cooperative-en")

    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name=re.compile("^العربي")
    ).click()
    expect(page).to_have_url(re.compile(r"/ar/cooperatives/tifawin-weavers/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tifawin Weavers")
    take_screenshots(page, screenshots, "cooperative-ar")

    page.get_by_role("link", name="Beni Ouarain carpet, ivory").click()
    expect(page).to_have_url(re.compile(r"/ar/products/beni-ouarain-carpet-ivory/$"))
    take_screenshots(page, screenshots, "product-ar")

    assert errors == []


@pytest.mark.parametrize("language", ["ar", "en"])
def test_buyer_pages_fit_a_phone_screen(
    page: Page, carpet: Product, screenshots: Path, language: str
) -> None:
    page.set_viewport_size(PHONE)
    pages = {
        "home": f"/{language}/",
        "catalog": f"/{language}/catalog/",
        "product": f"/{language}/products/{carpet.slug}/",
        "cooperative": f"/{language}/cooperatives/{carpet.cooperative.slug}/",
    }
    too_wide = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response is not None
        assert response.ok, f"{url} answered {response.status}"
        page.screenshot(path=screenshots / f"{name}-{language}-375.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[url] = width

    assert too_wide == {}, "pages scroll sideways on a 375 px phone"
