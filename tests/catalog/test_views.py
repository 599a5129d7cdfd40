import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from artisans.browsing import cached_for_visitors, forget_listings
from artisans.models import CooperativeStatus
from artisans.verification import suspend_cooperative
from catalog.models import Product, ProductStatus
from catalog.search import CatalogFilters, refresh_search_documents
from tests.factories import (
    CooperativeFactory,
    CraftBranchFactory,
    CraftFactory,
    HSCodeFactory,
    ProductFactory,
    ProductImageFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CATALOG = "/en/catalog/"


def product_with_photos(photos: int = 3, **fields) -> Product:
    product = ProductFactory(**fields)
    for _ in range(photos):
        ProductImageFactory(product=product)
    return product


def pottery_craft():
    return CraftFactory(
        slug="fes-pottery",
        name_en="Fes pottery",
        name_fr="Poterie de Fès",
        name_ar="فخار فاس",
        branch=CraftBranchFactory(slug="pottery", name_en="Pottery", name_ar="الفخار"),
        hs_code=HSCodeFactory(code="691200", description_en="Ceramic tableware"),
    )


# ---------------------------------------------------------------- catalog list


def test_catalog_lists_published_products_with_price_cooperative_and_craft(client):
    product = ProductFactory(title="Beni Ouarain carpet", price=Decimal("4500.00"))

    response = client.get(CATALOG)

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Beni Ouarain carpet" in page
    assert f'href="/en/products/{product.slug}/"' in page
    assert product.cooperative.name in page
    assert "Knotted carpets" in page
    assert "4,500.00\u00a0MAD" in page
    assert "1 product" in page


def test_catalog_hides_drafts_and_products_of_suspended_cooperatives(client):
    ProductFactory(title="Shown carpet")
    ProductFactory(title="Draft carpet", status=ProductStatus.DRAFT)
    ProductFactory(
        title="Suspended carpet",
        cooperative=CooperativeFactory(status=CooperativeStatus.SUSPENDED),
    )

    page = client.get(CATALOG).content.decode()

    assert "Shown carpet" in page
    assert "Draft carpet" not in page
    assert "Suspended carpet" not in page


@pytest.mark.parametrize(
    ("language", "price"),
    [("en", "4,500.00\u00a0MAD"), ("fr", "4\u00a0500,00\u00a0DH"), ("ar", "4500,00\u00a0درهم")],
)
def test_catalog_formats_prices_for_the_language(client, language, price):
    ProductFactory(price=Decimal("4500.00"))

    page = client.get(f"/{language}/catalog/").content.decode()

    assert price in page


def test_catalog_shows_craft_branch_and_region_names_in_the_active_language(client):
    ProductFactory()

    page = client.get("/ar/catalog/").content.decode()

    assert "الزرابي المعقودة" in page  # craft, on the card and in the filters
    assert "النسيج والزرابي" in page  # branch
    assert "مراكش آسفي" in page  # region
    assert 'dir="rtl"' in page


def test_catalog_badges_say_one_of_a_kind_made_to_order_and_sold_out(client):
    ProductFactory(stock=1)
    ProductFactory(stock=0)
    ProductFactory(stock=0, made_to_order=True, lead_time_days=21)

    page = client.get(CATALOG).content.decode()

    assert "One of a kind" in page
    assert "Sold out" in page
    assert "Made to order (21 days)" in page


def test_catalog_card_uses_the_card_photo_with_alt_text_size_and_lazy_loading(client):
    product = product_with_photos(2)
    cover = product.images.order_by("position", "pk").first()

    page = client.get(CATALOG).content.decode()

    assert f'src="/media/{cover.card.name}"' in page
    assert f'alt="{cover.alt_text}"' in page
    assert 'width="480" height="600" loading="lazy"' in page


def test_catalog_paginates_24_per_page_with_links_keeping_the_filters(client):
    for _ in range(30):
        ProductFactory()

    first = client.get(CATALOG + "?in_stock=1").content.decode()
    second = client.get(CATALOG + "?in_stock=1&page=2").content.decode()

    assert first.count('class="card product-card"') == 24
    assert "30 products" in first
    assert 'href="?in_stock=1&amp;page=2"' in first
    assert second.count('class="card product-card"') == 6
    assert 'href="?in_stock=1&amp;page=1"' in second


@pytest.mark.parametrize(
    ("page", "cards"),
    [("999999", 6), ("abc", 24), ("-3", 6), ("0", 6), ("", 24), ("2.5", 24)],
)
def test_catalog_page_out_of_range_or_not_a_number_shows_a_valid_page(client, page, cards):
    for _ in range(30):
        ProductFactory()

    response = client.get(CATALOG, {"page": page})

    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('class="card product-card"') == cards


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "زربية' OR 1=1 --"},
        {"q": '"unbalanced AND ( NEAR *'},
        {"price_min": "-50"},
        {"price_max": "abc", "price_min": "1e400"},
        {"price_min": "NaN", "price_max": "Infinity"},
        {"branch": "no-such-branch", "craft": "<script>", "region": "atlantis"},
        {"sort": "drop table", "in_stock": "maybe", "made_to_order": "2"},
        {"page": "99999999999999999999999"},
    ],
)
def test_whatever_the_buyer_types_the_catalog_answers(client, params):
    ProductFactory()

    response = client.get(CATALOG, params)

    assert response.status_code == HTTPStatus.OK
    assert b"<script>" not in response.content


def test_catalog_search_words_show_in_the_heading_and_sort_offers_relevance(client):
    ProductFactory(title="Beni Ouarain carpet")

    searched = client.get(CATALOG, {"q": "Ouarain"}).content.decode()
    browsed = client.get(CATALOG).content.decode()

    assert "Results for “Ouarain”" in searched
    assert 'value="relevance"' in searched
    assert 'value="relevance"' not in browsed
    assert 'value="price"' in browsed
    assert 'value="-price"' in browsed


def test_catalog_with_no_match_says_so_and_links_to_clear_the_search(client):
    ProductFactory(title="Beni Ouarain carpet")

    page = client.get(CATALOG, {"q": "zzzz-nothing"}).content.decode()

    assert "No products match your search and filters." in page
    assert 'href="/en/catalog/"' in page
    assert "0 products" in page


def test_empty_catalog_says_products_are_coming(client):
    page = client.get(CATALOG).content.decode()

    assert "No products yet" in page


def test_catalog_sidebar_offers_branches_as_links_and_crafts_regions_as_choices(client):
    ProductFactory()
    pottery_craft()
    RegionFactory(code="souss-massa", name_en="Souss-Massa")

    page = client.get(CATALOG, {"q": "tea"}).content.decode()

    assert 'href="?q=tea&amp;branch=pottery"' in page
    assert '<option value="fes-pottery">Fes pottery</option>' in page
    assert '<option value="souss-massa">Souss-Massa</option>' in page
    assert '<input type="hidden" name="q" value="tea">' in page


def test_catalog_tells_the_buyer_which_filters_it_left_out(client):
    ProductFactory(title="Beni Ouarain carpet")

    page = client.get(CATALOG, {"price_min": "-50", "in_stock": "maybe"}).content.decode()

    assert "was not understood and was left out:" in page
    assert "<bdi>lowest price</bdi>" in page
    assert "<bdi>in stock</bdi>" in page
    assert "Beni Ouarain carpet" in page


def test_catalog_notice_names_the_filter_values_that_were_ignored():
    request = RequestFactory().get(CATALOG)
    filters = CatalogFilters(ignored=("price_min", "region"))
    context = {
        "request": request,
        "filters": filters,
        "choices": None,
        "selected": None,
        "page_obj": Paginator([], 24).get_page(1),
        "query": QueryDict(),
        "sort_orders": [],
    }

    with translation.override("en"):
        page = render_to_string("catalog/product_list.html", context, request=request)

    assert "was not understood and was left out:" in page
    assert "<bdi>lowest price</bdi>, <bdi>region</bdi>." in page


def test_filter_choices_are_cached_per_language(client, django_assert_num_queries):
    ProductFactory()
    client.get(CATALOG)

    # Crafts, branches, regions, labels in Arabic, and the Arabic fragments: the page, its
    # photos, the labels of its products and of their cooperatives.
    with django_assert_num_queries(8):
        arabic = client.get("/ar/catalog/").content.decode()
    english = client.get(CATALOG).content.decode()

    assert '<option value="knotted-carpets">Knotted carpets</option>' in english
    assert '<option value="knotted-carpets">الزرابي المعقودة</option>' in arabic


@pytest.mark.parametrize("products", [1, 30])
def test_catalog_queries_do_not_grow_with_products_and_photos(
    client, django_assert_num_queries, products
):
    for _ in range(products):
        product_with_photos(3)

    # Cold: crafts, branches, regions, labels held, the count, the page of products, their
    # photos, their labels and their cooperatives' labels (the cards' badges).
    with django_assert_num_queries(9):
        cold = client.get(CATALOG)
    with django_assert_num_queries(0):  # warm: choices, count and fragments are cached
        warm = client.get(CATALOG)

    assert cold.status_code == warm.status_code == HTTPStatus.OK
    assert warm.content.decode().count('class="card product-card"') == min(products, 24)


@pytest.mark.parametrize("products", [1, 30])
def test_filtered_catalog_queries_do_not_grow(client, django_assert_num_queries, products):
    for _ in range(products):
        product_with_photos(3)
    client.get(CATALOG)  # warms the filter choices
    params = {"price_max": "9000", "in_stock": "1", "sort": "-price", "page": "2"}

    # The count, the page of products, their photos, their and their cooperatives' labels.
    with django_assert_num_queries(5):
        response = client.get(CATALOG, params)

    assert response.status_code == HTTPStatus.OK


def test_catalog_fragments_follow_a_change_once_listings_are_forgotten(client):
    product = ProductFactory(title="Beni Ouarain carpet", price=Decimal("4500.00"))
    client.get(CATALOG)
    client.get(f"/en/products/{product.slug}/")
    Product.objects.filter(pk=product.pk).update(price=Decimal("3900.00"))

    forget_listings()

    assert "3,900.00\u00a0MAD" in client.get(CATALOG).content.decode()
    assert "3,900.00\u00a0MAD" in client.get(f"/en/products/{product.slug}/").content.decode()


def test_suspending_a_cooperative_empties_the_cached_pages_at_once(
    client, django_capture_on_commit_callbacks
):
    moderator = UserFactory(is_staff=True)
    cooperative = CooperativeFactory(name="Tifawin Weavers")
    ProductFactory(cooperative=cooperative, title="Beni Ouarain carpet", is_featured=True)
    refresh_search_documents(Product.objects.all())
    pages = [CATALOG, "/en/", "/en/cooperatives/", f"{CATALOG}?q=ouarain"]
    for url in pages:
        assert "Tifawin Weavers" in client.get(url).content.decode(), url

    with django_capture_on_commit_callbacks(execute=True):
        suspend_cooperative(cooperative, by=moderator, reason="Unpaid fees")

    for url in pages:
        assert "Tifawin Weavers" not in client.get(url).content.decode(), url


def test_a_saved_product_change_shows_on_the_cached_pages(
    client, django_capture_on_commit_callbacks
):
    product = ProductFactory(title="Beni Ouarain carpet", price=Decimal("4500.00"))
    client.get(CATALOG)
    client.get(f"/en/products/{product.slug}/")

    with django_capture_on_commit_callbacks(execute=True):
        product.price = Decimal("3900.00")
        product.save()

    assert "3,900.00\u00a0MAD" in client.get(CATALOG).content.decode()
    assert "3,900.00\u00a0MAD" in client.get(f"/en/products/{product.slug}/").content.decode()


def test_anonymous_catalog_visit_opens_no_session(client, django_assert_num_queries):
    ProductFactory()

    with django_assert_num_queries(9) as captured:
        response = client.get(CATALOG)

    assert "sessionid" not in response.cookies
    assert not any("django_session" in query["sql"] for query in captured.captured_queries)


# ---------------------------------------------------------------- product page


def test_product_page_shows_everything_a_buyer_and_customs_need(client):
    cooperative = CooperativeFactory(name="Tifawin Weavers", city="Azilal")
    product = product_with_photos(
        3,
        cooperative=cooperative,
        title="Beni Ouarain carpet, ivory",
        description="Knotted by hand over three months.",
        materials="undyed wool",
        dimensions="200 × 150 cm",
        weight_grams=8250,
        price=Decimal("4500.00"),
        stock=1,
    )

    response = client.get(f"/en/products/{product.slug}/")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<h1" in page
    assert "Beni Ouarain carpet, ivory</h1>" in page
    assert "4,500.00\u00a0MAD" in page
    assert "One of a kind" in page
    assert "undyed wool" in page
    assert "200 × 150 cm" in page
    assert "8.25 kg" in page
    assert "5701.10" in page
    assert "Carpets and other textile floor coverings" in page
    assert "Knotted carpets" in page
    assert "Textiles and carpets" in page
    assert 'href="/en/cooperatives/tifawin-weavers/"' in page
    assert "Azilal, Marrakech-Safi" in page
    assert "Knotted by hand over three months." in page
    for image in product.images.all():
        assert f'src="/media/{image.image.name}"' in page
        assert f'src="/media/{image.thumbnail.name}"' in page
    assert 'href="#photo-3"' in page


def test_product_page_in_french_shows_translated_names_and_weight(client):
    product = ProductFactory(weight_grams=450)

    page = client.get(f"/fr/products/{product.slug}/").content.decode()

    assert "Tapis noués" in page
    assert "Textile et tapis" in page
    assert "450\u00a0g" in page or "450 g" in page
    assert "4\u00a0500,00\u00a0DH" in page


def test_product_page_suggests_same_craft_or_cooperative_products_only(client):
    product = ProductFactory(title="The carpet")
    ProductFactory(title="Same craft carpet")
    ProductFactory(
        title="Same cooperative tagine", cooperative=product.cooperative, craft=pottery_craft()
    )
    ProductFactory(title="Unrelated tagine", craft=pottery_craft())
    ProductFactory(title="Unpublished carpet", status=ProductStatus.PENDING)

    page = client.get(f"/en/products/{product.slug}/").content.decode()

    assert "You may also like" in page
    assert "Same craft carpet" in page
    assert "Same cooperative tagine" in page
    assert "Unrelated tagine" not in page
    assert "Unpublished carpet" not in page


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ProductStatus.DRAFT},
        {"status": ProductStatus.PENDING},
        {"status": ProductStatus.REJECTED},
        {"status": ProductStatus.ARCHIVED},
    ],
)
def test_unpublished_product_page_is_not_found(client, fields):
    product = ProductFactory(**fields)

    response = client.get(f"/en/products/{product.slug}/")

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("status", [CooperativeStatus.PENDING, CooperativeStatus.SUSPENDED])
def test_product_of_a_cooperative_not_verified_is_not_found(client, status):
    product = ProductFactory(cooperative=CooperativeFactory(status=status))

    response = client.get(f"/en/products/{product.slug}/")

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_unknown_product_gets_the_site_404_page(client):
    response = client.get("/en/products/no-such-piece/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    page = response.content.decode()
    assert "This page is not in the souk" in page
    assert 'href="/en/catalog/"' in page


@pytest.mark.parametrize("photos", [1, 3])
def test_product_page_queries_do_not_grow_with_photos_and_related(
    client, django_assert_num_queries, photos
):
    product = product_with_photos(photos)
    for _ in range(1 if photos == 1 else 4):
        product_with_photos(photos, cooperative=product.cooperative)

    # Cold: is it visible, the product in full, its photos, its labels and its cooperative's,
    # related products, their photos, their labels and their cooperatives', its reviews' stars.
    url = f"/en/products/{product.slug}/"
    with django_assert_num_queries(10):
        cold = client.get(url)
    with django_assert_num_queries(0):  # the same page again: from the cache
        warm = client.get(url)
    client.force_login(UserFactory())
    with django_assert_num_queries(3):  # session, user, is the product still visible?
        signed_in = client.get(url)

    assert cold.status_code == warm.status_code == signed_in.status_code == HTTPStatus.OK
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", warm.content) == token.sub(b"", cold.content)
    assert b"You may also like" in signed_in.content


# ---------------------------------------------------------------- language and errors


def test_language_switcher_keeps_the_page_and_the_query(client):
    product = ProductFactory()
    page = client.get(f"/en/products/{product.slug}/?ref=home").content.decode()

    assert f'href="/ar/products/{product.slug}/?ref=home" lang="ar"' in page
    assert f'href="/fr/products/{product.slug}/?ref=home" lang="fr"' in page
    assert (
        f'href="/en/products/{product.slug}/?ref=home" lang="en" hreflang="en" aria-current="page"'
        in page
    )
    assert client.get(f"/ar/products/{product.slug}/?ref=home").status_code == HTTPStatus.OK


def test_language_switcher_of_a_missing_page_leads_home(client):
    page = client.get("/fr/no-such-page/").content.decode()

    assert 'href="/ar/" lang="ar"' in page


# ---------------------------------------------------------------- whole-page cache


def test_visitors_share_a_cached_page_without_cookies(client):
    ProductFactory(title="Beni Ouarain carpet")
    first = client.get(CATALOG)
    client.cookies.clear()

    with CaptureQueriesContext(connection) as queries:
        again = client.get(CATALOG)

    assert len(queries) == 0
    assert again.content == first.content
    assert not first.cookies
    assert not again.cookies
    assert "Cookie" in again["Vary"]


def test_a_signed_in_buyer_never_gets_the_visitors_page(client):
    client.get(CATALOG)  # cached for visitors
    client.force_login(UserFactory(email="amina@example.com"))

    page = client.get(CATALOG).content.decode()

    assert "Log out" in page
    assert "Log in" not in page


def counting_view(status: int = HTTPStatus.OK, *, csrf: bool = False):
    """A view for cached_for_visitors that counts how often it really runs."""
    calls = []

    @cached_for_visitors
    def view(request):
        calls.append(request)
        return HttpResponse(get_token(request) if csrf else "page", status=status)

    return view, calls


@pytest.mark.parametrize(
    ("view_kwargs", "cookies", "method", "runs"),
    [
        ({}, {}, "get", 1),  # the second visitor is served from the cache
        ({}, {"sessionid": "x"}, "get", 2),  # signed in, or a guest with a cart
        ({}, {"messages": "x"}, "get", 2),  # a message to show once
        ({}, {}, "head", 2),
        ({"csrf": True}, {}, "get", 2),  # a form whose token belongs to one visitor
        ({"status": HTTPStatus.NOT_FOUND}, {}, "get", 2),
    ],
)
def test_which_pages_the_visitors_cache_keeps(view_kwargs, cookies, method, runs):
    view, calls = counting_view(**view_kwargs)
    for _ in range(2):
        request = getattr(RequestFactory(), method)("/en/page/?q=tapis")
        request.COOKIES.update(cookies)
        view(request)

    assert len(calls) == runs


def test_server_error_page_renders_without_a_request():
    with translation.override("ar"):
        page = render_to_string("500.html")

    assert 'dir="rtl"' in page
    assert "500" in page
