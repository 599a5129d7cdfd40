import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.http import QueryDict

from artisans.models import site_today
from catalog.search import parse_catalog_filters, search_catalog
from tests.factories import (
    CooperativeFactory,
    CooperativeLabelFactory,
    CraftBranchFactory,
    LabelFactory,
    ProductFactory,
    ProductImageFactory,
    ProductLabelFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

CATALOG = "/en/catalog/"
YESTERDAY = timedelta(days=-1)


def titles(response) -> list[str]:
    """The titles of the product cards on a catalog page, in order."""
    page = response.content.decode()
    return re.findall(r'class="card__link" href="[^"]+" dir="auto">([^<]+)</a>', page)


# ---------------------------------------------------------------- parsing


def test_a_known_label_is_kept_and_an_unknown_one_is_named_and_ignored():
    LabelFactory()

    known = parse_catalog_filters(QueryDict("label=morocco-handmade"))
    unknown = parse_catalog_filters(QueryDict("label=iso-9001&region=nowhere"))

    assert (known.label, known.ignored) == ("morocco-handmade", ())
    assert (unknown.label, unknown.ignored) == ("", ("region", "label"))


def test_every_slug_including_the_label_is_checked_in_one_query(django_assert_num_queries):
    LabelFactory()
    RegionFactory()
    CraftBranchFactory()

    with django_assert_num_queries(1):
        filters = parse_catalog_filters(
            QueryDict("branch=textiles&region=marrakech-safi&label=morocco-handmade")
        )

    assert filters.ignored == ()


def test_the_label_is_part_of_the_results_cache_key():
    LabelFactory()

    plain = parse_catalog_filters(QueryDict(""))
    labelled = parse_catalog_filters(QueryDict("label=morocco-handmade"))

    assert plain.cache_key != labelled.cache_key


# ---------------------------------------------------------------- matching


def test_filter_finds_the_products_of_a_cooperative_holding_the_label(client):
    certified = CooperativeLabelFactory().cooperative
    ProductFactory(cooperative=certified, title="Tea glass set")
    ProductFactory(cooperative=certified, title="Copper tray")
    ProductFactory(title="Plain basket")

    response = client.get(CATALOG, {"label": "morocco-handmade"})

    assert response.status_code == HTTPStatus.OK
    assert sorted(titles(response)) == ["Copper tray", "Tea glass set"]


def test_filter_finds_a_product_holding_the_label_itself(client):
    cooperative = CooperativeFactory()
    ProductLabelFactory(
        label=LabelFactory(taznakht=True),
        level="",
        product__title="Beni Ouarain carpet",
        product__cooperative=cooperative,
    )
    ProductFactory(cooperative=cooperative, title="Plain basket")

    response = client.get(CATALOG, {"label": "tapis-taznakht"})

    assert titles(response) == ["Beni Ouarain carpet"]
    assert "1 product" in response.content.decode()


def test_an_expired_label_finds_nothing(client):
    yesterday = site_today() + YESTERDAY
    cooperative = CooperativeLabelFactory(valid_until=yesterday).cooperative
    ProductFactory(cooperative=cooperative, title="Tea glass set")
    ProductLabelFactory(product__title="Beni Ouarain carpet", valid_until=yesterday)
    ProductLabelFactory(product__title="Tazerzite bracelet", valid_until=site_today())

    response = client.get(CATALOG, {"label": "morocco-handmade"})

    # The last day of validity still counts; the day after, it no longer does.
    assert titles(response) == ["Tazerzite bracelet"]


def test_a_label_filter_keeps_to_published_products_of_verified_cooperatives():
    LabelFactory()
    hidden = CooperativeLabelFactory(cooperative__status="suspended").cooperative
    ProductFactory(cooperative=hidden)
    ProductLabelFactory(product__status="draft")

    filters = parse_catalog_filters(QueryDict("label=morocco-handmade"))

    assert not search_catalog(filters).exists()


def test_an_unknown_label_is_named_back_and_the_catalog_shown_unfiltered(client):
    ProductFactory(title="Plain basket")

    response = client.get(CATALOG, {"label": "iso-9001"})

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "was not understood and was left out: <bdi>label</bdi>." in page
    assert titles(response) == ["Plain basket"]


def test_a_label_held_together_with_another_filter_narrows_both(client):
    certified = CooperativeLabelFactory(cooperative__region=RegionFactory(code="souss-massa"))
    ProductFactory(cooperative=certified.cooperative, title="Tazerzite bracelet")
    ProductLabelFactory(product__title="Beni Ouarain carpet")  # Marrakech-Safi

    response = client.get(CATALOG, {"label": "morocco-handmade", "region": "souss-massa"})

    assert titles(response) == ["Tazerzite bracelet"]


# ---------------------------------------------------------------- sidebar and chips


def test_sidebar_offers_the_labels_held_today_and_the_chip_removes_the_filter(client):
    CooperativeLabelFactory()
    ProductLabelFactory(
        label=LabelFactory(taznakht=True), level="", valid_until=site_today() + YESTERDAY
    )
    LabelFactory(slug="tazerzite", name_en="Tazerzite", has_levels=False)  # held by nobody

    page = client.get(CATALOG, {"label": "morocco-handmade", "q": "tea"}).content.decode()

    assert '<label for="filter-label">Label or certification</label>' in page
    assert '<option value="morocco-handmade" selected>Morocco Handmade</option>' in page
    assert "Taznakht carpet" not in page  # only held by an expired certificate
    assert "Tazerzite" not in page
    assert (
        '<li class="chip">Morocco Handmade <a href="?q=tea" '
        'aria-label="Remove filter: Morocco Handmade">×</a></li>' in page
    )
    # Other filters' links keep the label.
    assert 'href="?q=tea&amp;label=morocco-handmade&amp;branch=' in page


def test_sidebar_names_labels_in_the_visitors_language(client):
    ProductLabelFactory(label=LabelFactory(taznakht=True), level="")

    page = client.get("/fr/catalog/").content.decode()

    assert '<option value="tapis-taznakht">Tapis de Taznakht</option>' in page


def test_sidebar_has_no_label_choice_when_no_label_is_held(client):
    LabelFactory()
    ProductFactory()

    page = client.get(CATALOG).content.decode()

    assert 'name="label"' not in page


def test_a_certificate_saved_after_the_catalog_was_cached_shows_in_its_filters(
    client, django_capture_on_commit_callbacks
):
    product = ProductFactory(title="Tea glass set")
    assert 'name="label"' not in client.get(CATALOG).content.decode()  # cached

    with django_capture_on_commit_callbacks(execute=True):
        ProductLabelFactory(product=product)

    page = client.get(CATALOG).content.decode()
    assert '<option value="morocco-handmade">Morocco Handmade</option>' in page


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("products", [1, 30])
def test_label_filtered_catalog_queries_do_not_grow(client, django_assert_num_queries, products):
    cooperative = CooperativeLabelFactory().cooperative
    label = LabelFactory(taznakht=True)
    for n in range(products):
        # Half of them from the certified cooperative, half from cooperatives of their own.
        product = ProductFactory(cooperative=cooperative) if n % 2 else ProductFactory()
        ProductImageFactory(product=product)
        ProductLabelFactory(product=product, label=label, level="")

    # Crafts, branches, regions, labels held; the slugs checked, the count, the page of
    # products, their photos, their labels, their cooperatives' labels.
    with django_assert_num_queries(10):
        cold = client.get(CATALOG, {"label": "tapis-taznakht"})
    with django_assert_num_queries(0):  # warm: the whole page is cached for visitors
        client.get(CATALOG, {"label": "tapis-taznakht"})

    assert len(titles(cold)) == min(products, 24)
    assert cold.content.decode().count("label-badges--compact") == min(products, 24)
