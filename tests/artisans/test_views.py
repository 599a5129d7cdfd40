from http import HTTPStatus

import pytest

from artisans.models import CooperativeStatus
from tests.factories import (
    CooperativeFactory,
    ProductFactory,
    ProductImageFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/cooperatives/"


def souss_massa():
    return RegionFactory(
        code="souss-massa", name_en="Souss-Massa", name_fr="Souss-Massa", name_ar="سوس ماسة"
    )


# ---------------------------------------------------------------- directory


def test_directory_lists_verified_cooperatives_only(client):
    CooperativeFactory(name="Tifawin Weavers", city="Azilal")
    CooperativeFactory(name="Pending Potters", status=CooperativeStatus.PENDING)
    CooperativeFactory(name="Suspended Smiths", status=CooperativeStatus.SUSPENDED)

    response = client.get(DIRECTORY)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Tifawin Weavers" in page
    assert 'href="/en/cooperatives/tifawin-weavers/"' in page
    assert "Azilal, Marrakech-Safi" in page
    assert "Pending Potters" not in page
    assert "Suspended Smiths" not in page
    assert "1 cooperative" in page


def test_directory_filters_by_region_and_names_regions_in_the_language(client):
    CooperativeFactory(name="Marrakech Weavers")
    CooperativeFactory(name="Argan Women of Tiznit", region=souss_massa(), city="Tiznit")

    page = client.get("/ar/cooperatives/", {"region": "souss-massa"}).content.decode()

    assert "Argan Women of Tiznit" in page
    assert "Marrakech Weavers" not in page
    assert '<option value="souss-massa" selected>سوس ماسة</option>' in page


def test_directory_with_an_unknown_region_says_so_and_lists_every_cooperative(client):
    CooperativeFactory(name="Marrakech Weavers")

    response = client.get(DIRECTORY, {"region": "atlantis"})

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "The region “atlantis” is unknown" in page
    assert "Marrakech Weavers" in page


def test_directory_region_without_cooperatives_shows_an_empty_state(client):
    souss_massa()
    CooperativeFactory(name="Marrakech Weavers")

    page = client.get(DIRECTORY, {"region": "souss-massa"}).content.decode()

    assert "No verified cooperative in this region yet." in page
    assert "Marrakech Weavers" not in page


@pytest.mark.parametrize("page", ["abc", "999999", "-1", "x" * 10_000])
def test_directory_answers_any_page_number(client, page):
    CooperativeFactory(name="Marrakech Weavers")

    response = client.get(DIRECTORY, {"page": page})

    assert response.status_code == HTTPStatus.OK
    assert "Marrakech Weavers" in response.content.decode()


@pytest.mark.parametrize("cooperatives", [1, 30])
def test_directory_queries_do_not_grow_with_cooperatives(
    client, django_assert_num_queries, cooperatives
):
    for _ in range(cooperatives):
        CooperativeFactory()
    with django_assert_num_queries(3):  # regions, count, the page of cooperatives with regions
        cold = client.get(DIRECTORY)
    with django_assert_num_queries(0):  # the same page again: from the cache
        warm = client.get(DIRECTORY)
    client.force_login(UserFactory())
    with django_assert_num_queries(4):  # session, user; the count and page (regions cached)
        signed_in = client.get(DIRECTORY)

    assert cold.status_code == warm.status_code == signed_in.status_code == HTTPStatus.OK
    assert warm.content == cold.content


# ---------------------------------------------------------------- cooperative page


def test_cooperative_page_tells_its_story_figures_and_products(client):
    cooperative = CooperativeFactory(
        name="Tifawin Weavers",
        city="Azilal",
        founded_year=1998,
        member_count=40,
        women_member_count=36,
        youth_led=True,
        story="Forty weavers of the Azilal valleys.",
    )
    ProductFactory(cooperative=cooperative, title="Beni Ouarain carpet")
    ProductFactory(cooperative=cooperative, title="Draft carpet", status="draft")
    ProductFactory(title="Another cooperative's carpet")

    response = client.get("/en/cooperatives/tifawin-weavers/")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Tifawin Weavers</h1>" in page
    assert "Forty weavers of the Azilal valleys." in page
    assert "Azilal, Marrakech-Safi" in page
    assert "founded in 1998" in page
    assert "Cooperative · " in page
    assert "<dd>40</dd>" in page
    assert "<dd>36</dd>" in page
    assert "Youth-led" in page
    assert "Beni Ouarain carpet" in page
    assert "1 piece for sale" in page
    assert "Draft carpet" not in page
    assert "Another cooperative" not in page


def test_cooperative_page_in_arabic_is_right_to_left_with_the_region_in_arabic(client):
    CooperativeFactory(name="Tifawin Weavers")

    page = client.get("/ar/cooperatives/tifawin-weavers/").content.decode()

    assert 'dir="rtl"' in page
    assert "مراكش آسفي" in page


def test_cooperative_without_products_says_nothing_is_for_sale(client):
    CooperativeFactory(name="Tifawin Weavers")

    page = client.get("/en/cooperatives/tifawin-weavers/").content.decode()

    assert "Nothing for sale right now" in page


def test_cooperative_products_are_paginated(client):
    cooperative = CooperativeFactory()
    for _ in range(30):
        ProductFactory(cooperative=cooperative)

    first = client.get(f"/en/cooperatives/{cooperative.slug}/").content.decode()
    last = client.get(f"/en/cooperatives/{cooperative.slug}/?page=999").content.decode()

    assert first.count('class="card product-card"') == 24
    assert "30 pieces for sale" in first
    assert 'href="?page=2"' in first
    assert last.count('class="card product-card"') == 6


@pytest.mark.parametrize("status", [CooperativeStatus.PENDING, CooperativeStatus.SUSPENDED])
def test_cooperative_not_verified_is_not_found(client, status):
    cooperative = CooperativeFactory(status=status)

    response = client.get(f"/en/cooperatives/{cooperative.slug}/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "This page is not in the souk" in response.content.decode()


def test_unknown_cooperative_is_not_found(client):
    response = client.get("/en/cooperatives/no-such-cooperative/")

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("products", [1, 30])
def test_cooperative_page_queries_do_not_grow_with_products_and_photos(
    client, django_assert_num_queries, products
):
    cooperative = CooperativeFactory()
    for _ in range(products):
        product = ProductFactory(cooperative=cooperative)
        for _ in range(3):
            ProductImageFactory(product=product)

    url = f"/en/cooperatives/{cooperative.slug}/"

    # Cold: is it verified, the count, the cooperative in full with its region, its photos,
    # its labels, the page of products, their photos, their labels, its reviews' stars.
    with django_assert_num_queries(9):
        cold = client.get(url)
    with django_assert_num_queries(0):  # the same page again: from the cache
        warm = client.get(url)
    client.force_login(UserFactory())
    with django_assert_num_queries(3):  # session, user, is the cooperative still verified?
        signed_in = client.get(url)

    assert cold.status_code == warm.status_code == signed_in.status_code == HTTPStatus.OK
    assert warm.content == cold.content
    assert warm.content.decode().count('class="card product-card"') == min(products, 24)
