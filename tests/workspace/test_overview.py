"""The workspace's overview: the cooperative's status, its products by status, orders to send."""

from http import HTTPStatus

import pytest
from django.urls import resolve, reverse

from artisans.models import CooperativeStatus, MembershipRole
from catalog.models import ProductStatus
from marketplace import workspace_views
from marketplace.models import ShipmentStatus
from tests.factories import MembershipFactory, ProductFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


def overview_url(cooperative) -> str:
    return reverse("workspace:dashboard", args=[cooperative.pk])


def test_the_overview_counts_products_by_status_and_orders_to_ship(client):
    member = MembershipFactory(role=MembershipRole.MEMBER)
    cooperative = member.cooperative
    for status in ("draft", "draft", "published", "rejected"):
        ProductFactory(cooperative=cooperative, status=status)
    for status in ShipmentStatus.values:  # one in each: only the paid one waits to be sent
        ShipmentFactory(cooperative=cooperative, status=status)
    ProductFactory(status="draft")  # another cooperative's
    ShipmentFactory(status=ShipmentStatus.TO_SHIP)
    client.force_login(member.user)

    response = client.get(overview_url(cooperative))

    assert response.status_code == HTTPStatus.OK
    counts = {value: count for value, _label, count in response.context["product_counts"]}
    assert counts == {"draft": 2, "pending": 0, "published": 1, "rejected": 1, "archived": 0}
    assert response.context["product_total"] == 4
    assert response.context["to_ship"] == 1
    page = response.content.decode()
    assert "order paid, to send" in page
    assert '<span class="badge badge--draft">Draft</span>' in page
    for name in ("product_list", "product_create", "shipment_list"):
        assert reverse(f"workspace:{name}", args=[cooperative.pk]) in page


def test_the_overview_is_marketplaces_page_under_the_same_name():
    # artisans imports neither catalog nor marketplace: the page that counts their rows is
    # marketplace's, at the URL the workspace always had.
    match = resolve("/en/workspace/7/")

    assert match.url_name == "dashboard"
    assert match.func is workspace_views.dashboard


def test_the_overview_queries_do_not_grow_with_products_and_orders(
    client, django_assert_num_queries
):
    member = MembershipFactory(role=MembershipRole.MEMBER)
    cooperative = member.cooperative
    ProductFactory(cooperative=cooperative)
    ShipmentFactory(cooperative=cooperative, status=ShipmentStatus.TO_SHIP)
    client.force_login(member.user)
    client.get(overview_url(cooperative))

    with django_assert_num_queries(5):  # session, user, memberships, products, shipments
        response = client.get(overview_url(cooperative))
    assert (response.context["product_total"], response.context["to_ship"]) == (1, 1)
    for status in (ProductStatus.DRAFT, ProductStatus.PUBLISHED, ProductStatus.PENDING) * 10:
        ProductFactory(cooperative=cooperative, status=status)
        ShipmentFactory(cooperative=cooperative, status=ShipmentStatus.TO_SHIP)
    with django_assert_num_queries(5):
        response = client.get(overview_url(cooperative))
    assert (response.context["product_total"], response.context["to_ship"]) == (31, 31)


def test_a_pending_cooperative_sees_why_it_cannot_publish_yet(client):
    member = MembershipFactory(cooperative__status=CooperativeStatus.PENDING)
    client.force_login(member.user)

    page = client.get(overview_url(member.cooperative)).content.decode()

    assert "You will get a mail once Souk has checked your cooperative." in page


def test_a_suspended_cooperative_reads_its_overview_without_the_add_button(client):
    member = MembershipFactory(cooperative__status=CooperativeStatus.SUSPENDED)
    ProductFactory(cooperative=member.cooperative)
    client.force_login(member.user)

    response = client.get(overview_url(member.cooperative))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert reverse("workspace:product_create", args=[member.cooperative_id]) not in page
    assert reverse("workspace:product_list", args=[member.cooperative_id]) in page
