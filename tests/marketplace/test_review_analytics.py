from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Product, Review, ReviewStatus
from marketplace.review_analytics import by_branch, by_country, by_month, overall
from tests.downloads import read_csv
from tests.factories import (
    CraftBranchFactory,
    CraftFactory,
    OrderLineFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGE = "/en/admin/marketplace/cooperativereputation/review-analytics/"
CSV = "/en/admin/marketplace/cooperativereputation/review-analytics.csv"


def review(product: Product, rating: int, *, country: str = "FR", when=None, **fields) -> Review:
    """A review of the product, written `when` (now by default), published unless told."""
    line = OrderLineFactory(shipment__cooperative=product.cooperative, product=product)
    made = Review.objects.create(
        order_line=line,
        product=product,
        cooperative=product.cooperative,
        author_name="Claire M.",
        country=country,
        language="en",
        rating=rating,
        text="Beautiful work, exactly as in the photos.",
        status=fields.pop("status", ReviewStatus.PUBLISHED),
        **fields,
    )
    if when is not None:  # created_at is set on insert: move it afterwards
        Review.objects.filter(pk=made.pk).update(created_at=when)
    return made


@pytest.fixture
def carpet(db) -> Product:
    return ProductFactory()  # the textiles branch


@pytest.fixture
def tagine(db) -> Product:
    pottery = CraftBranchFactory(
        slug="pottery", name_en="Pottery", name_fr="Poterie", name_ar="الفخار", position=5
    )
    return ProductFactory(
        craft=CraftFactory(slug="tagines", name_en="Tagines", branch=pottery),
        title="Safi tagine",
    )


@pytest.fixture
def dataset(carpet, tagine) -> None:
    """Textiles: 5, 4 and 2 stars from France, Morocco and the US (a hidden 1 and a pending 1
    never count). Pottery: one 5 from France."""
    review(carpet, 5, country="FR")
    review(carpet, 4, country="MA")
    review(carpet, 2, country="US")
    review(carpet, 1, country="US", status=ReviewStatus.HIDDEN)
    review(carpet, 1, country="DE", status=ReviewStatus.PENDING)
    review(tagine, 5, country="FR")


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


def figures(rows) -> list[tuple]:
    return [(row.key, row.reviews, row.satisfied, row.satisfaction) for row in rows]


# ---------------------------------------------------------------- the tables


def test_overall_counts_published_reviews_only(dataset):
    totals = overall()

    assert (totals.reviews, totals.satisfied, totals.satisfaction) == (4, 3, Decimal("0.75"))


def test_by_branch_in_branch_order(dataset):
    rows = by_branch()

    assert figures(rows) == [
        ("textiles", 3, 2, Decimal("0.6666")),
        ("pottery", 1, 1, Decimal("1")),
    ]
    assert [row.label for row in rows] == ["Textiles and carpets", "Pottery"]


def test_branch_without_reviews_shows_as_zero(carpet, tagine):
    review(carpet, 5)

    assert figures(by_branch()) == [("textiles", 1, 1, Decimal("1")), ("pottery", 0, 0, None)]


def test_by_country_most_reviews_first(dataset):
    rows = by_country()

    assert figures(rows) == [
        ("FR", 2, 2, Decimal("1")),
        ("MA", 1, 1, Decimal("1")),
        ("US", 1, 0, Decimal("0")),
    ]
    assert [row.label for row in rows] == ["France", "Morocco", "United States of America"]


def test_by_month_counts_calendar_months_in_casablanca_time(carpet):
    assert settings.TIME_ZONE == "Africa/Casablanca"
    review(carpet, 5, when=at("2025-01-31T22:30"))  # 23:30 on 31 January in Casablanca
    review(carpet, 2, when=at("2025-01-31T23:30"))  # 00:30 on 1 February in Casablanca
    review(carpet, 4, when=at("2025-03-14T12:00"))
    review(carpet, 3, when=at("2025-03-14T13:00"))
    review(carpet, 5, when=at("2024-03-31T12:00"))  # 12 months back and more: left out
    review(carpet, 1, when=at("2025-03-01T12:00"), status=ReviewStatus.HIDDEN)

    rows = by_month(now=at("2025-03-15T12:00"))

    assert len(rows) == 12
    assert figures(rows[:3]) == [
        ("2025-03", 2, 1, Decimal("0.5")),
        ("2025-02", 1, 0, Decimal("0")),
        ("2025-01", 1, 1, Decimal("1")),
    ]
    assert figures(rows[3:]) == [
        (f"{year}-{month:02d}", 0, 0, None) for year, month in [(2024, m) for m in range(12, 3, -1)]
    ]
    assert rows[0].label == "March 2025"


# ---------------------------------------------------------------- the admin page


def test_admin_page_shows_the_three_tables(admin_client, dataset):
    page = admin_client.get(PAGE).content.decode()

    assert "Overall: 75.0% satisfied over 4 reviews." in page
    assert (
        '<th scope="row">Textiles and carpets <small><bdi>(textiles)</bdi></small></th>\n'
        "          <td>3</td>\n          <td>2</td>\n          <td>66.7%</td>"
    ) in page
    assert '<th scope="row">United States of America <small><bdi>(US)</bdi></small></th>' in page
    month = timezone.localtime(timezone.now()).strftime("%B %Y")
    assert f'<th scope="row">{month}</th>\n          <td>4</td>' in page
    assert CSV in page
    assert "/en/help/trusted-cooperatives/" in page


def test_admin_page_runs_one_query_per_table_whatever_the_reviews(admin_client, carpet, tagine):
    review(carpet, 5)
    admin_client.get(PAGE)  # warm what the admin caches
    with CaptureQueriesContext(connection) as few:
        admin_client.get(PAGE)
    for index in range(30):
        review(
            carpet if index % 2 else tagine, 1 + index % 5, country=["FR", "MA", "JP"][index % 3]
        )

    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(PAGE)

    assert response.status_code == HTTPStatus.OK
    assert len(many) == len(few)
    # The session and user, then the overall figures and the three tables.
    assert sum("catalog_review" in query["sql"] for query in many.captured_queries) == 4


def test_staff_without_superuser_rights_sees_the_page(client, dataset):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(PAGE)

    assert response.status_code == HTTPStatus.OK
    assert "Overall: 75.0% satisfied over 4 reviews." in response.content.decode()


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_non_staff_are_sent_to_the_admin_login(client, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(f"/en/admin/login/?next={url}")


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]
    assert "Textiles" not in response.content.decode()


def test_reputation_list_links_to_the_analytics_and_the_rules(admin_client):
    page = admin_client.get("/en/admin/marketplace/cooperativereputation/").content.decode()

    assert PAGE in page
    assert "/en/help/trusted-cooperatives/" in page


# ---------------------------------------------------------------- the CSV


def test_csv_holds_the_three_tables(admin_client, dataset):
    response = admin_client.get(CSV)
    body, rows = read_csv(response)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert body.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    assert rows[0] == [
        "Table",
        "Code",
        "Name",
        "Published reviews",
        "Reviews with 4 or 5 stars",
        "Satisfaction rate (%)",
    ]
    tables = {}
    for row in rows[1:]:
        tables.setdefault(row[0], []).append(row[1:])
    assert tables["Craft branch"] == [
        ["textiles", "Textiles and carpets", "3", "2", "66.66"],
        ["pottery", "Pottery", "1", "1", "100.00"],
    ]
    assert tables["Buyer country"] == [
        ["FR", "France", "2", "2", "100.00"],
        ["MA", "Morocco", "1", "1", "100.00"],
        ["US", "United States of America", "1", "0", "0.00"],
    ]
    months = tables["Month"]
    this_month = timezone.localtime(timezone.now()).strftime("%Y-%m")
    assert len(months) == 12
    assert months[0][0] == this_month
    assert months[0][2:] == ["4", "3", "75.00"]
    assert all(month[2:] == ["0", "0", ""] for month in months[1:])


def test_csv_defuses_formula_text(admin_client):
    branch = CraftBranchFactory(slug="formula", name_en='=HYPERLINK("http://x")', position=9)
    product = ProductFactory(craft=CraftFactory(slug="formula-craft", branch=branch))
    review(product, 5)

    _body, rows = read_csv(admin_client.get(CSV))

    assert ["Craft branch", "formula", '\'=HYPERLINK("http://x")', "1", "1", "100.00"] in rows


def test_csv_in_french_translates_nothing_it_should_not(admin_client, dataset):
    _body, rows = read_csv(admin_client.get(CSV.replace("/en/", "/fr/")))

    countries = [row for row in rows if row[1] == "FR"]
    assert countries == [[countries[0][0], "FR", "France", "2", "2", "100.00"]]
    assert ["textiles", "Textile et tapis"] in [row[1:3] for row in rows]


def test_by_month_keeps_twelve_months_ending_now(carpet):
    review(carpet, 5, when=timezone.now() - timedelta(days=400))

    rows = by_month()

    assert len(rows) == 12
    assert all(row.reviews == 0 for row in rows)
