from http import HTTPStatus

import pytest

from artisans.models import CooperativeStatus
from catalog.models import ProductStatus
from tests.factories import (
    CooperativeFactory,
    CraftBranchFactory,
    CraftFactory,
    HSCodeFactory,
    ProductFactory,
    ProductImageFactory,
)

pytestmark = pytest.mark.django_db


def test_home_offers_search_and_the_craft_branches_in_the_language(client):
    CraftFactory()
    CraftFactory(
        slug="zellige",
        name_en="Zellige",
        name_ar="الزليج",
        branch=CraftBranchFactory(slug="building", name_en="Building crafts", name_ar="حرف البناء"),
        hs_code=HSCodeFactory(code="690790"),
    )

    english = client.get("/en/").content.decode()
    arabic = client.get("/ar/").content.decode()

    assert 'action="/en/catalog/"' in english
    assert 'href="/en/catalog/?branch=textiles"' in english
    assert "Textiles and carpets" in english
    assert 'href="/en/catalog/?branch=building"' in english
    assert "Zellige" in english
    assert "حرف البناء" in arabic
    assert "الزليج" in arabic


def test_home_shows_featured_products_only_when_some_are_featured(client):
    ProductFactory(title="Featured carpet", is_featured=True)
    ProductFactory(title="Ordinary carpet")
    ProductFactory(title="Featured draft", is_featured=True, status=ProductStatus.DRAFT)

    page = client.get("/en/").content.decode()

    assert "Featured carpet" in page
    assert "Ordinary carpet" not in page
    assert "Featured draft" not in page


def test_home_falls_back_to_the_newest_products(client):
    for number in range(10):
        ProductFactory(title=f"Carpet number {number}")

    page = client.get("/en/").content.decode()

    assert page.count('class="card product-card"') == 8
    assert "Carpet number 9" in page
    assert "Carpet number 1<" not in page


def test_home_features_verified_cooperatives_only(client):
    CooperativeFactory(name="Tifawin Weavers")
    CooperativeFactory(name="Pending Potters", status=CooperativeStatus.PENDING)

    page = client.get("/en/").content.decode()

    assert 'href="/en/cooperatives/tifawin-weavers/"' in page
    assert "Pending Potters" not in page


def test_cached_featured_products_show_names_in_each_language(client):
    ProductFactory(title="Featured carpet", is_featured=True)
    client.get("/en/")

    arabic = client.get("/ar/").content.decode()

    assert "Featured carpet" in arabic
    assert "الزرابي المعقودة" in arabic


def test_empty_home_says_what_is_coming(client):
    response = client.get("/en/")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "No products yet" in page
    assert "No verified cooperative yet." in page
    assert "Why Souk" in page


@pytest.mark.parametrize("products", [1, 30])
def test_home_queries_do_not_grow_with_products(client, django_assert_num_queries, products):
    for _ in range(products):
        product = ProductFactory(is_featured=True)
        for _ in range(3):
            ProductImageFactory(product=product)
    # Cold: crafts, branches, featured products, their photos, their labels, their
    # cooperatives' labels, cooperatives.
    with django_assert_num_queries(7):
        cold = client.get("/en/")
    with django_assert_num_queries(0):  # warm: the whole content is a cached fragment
        warm = client.get("/en/")

    assert cold.status_code == warm.status_code == HTTPStatus.OK
    assert warm.content.decode().count('class="card product-card"') == min(products, 8)
