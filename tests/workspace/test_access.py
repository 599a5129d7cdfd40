"""Every workspace URL of a cooperative, walked by people who must not reach it.

The routes come from marketplace/workspace_urls.py itself: a route added there without a role
below fails test_every_workspace_route_has_an_expected_role, so none escapes the walk.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from artisans.models import CooperativeStatus, MembershipRole
from marketplace.workspace_urls import cooperative_pages
from tests.factories import (
    CooperativeFactory,
    InvitationFactory,
    MembershipFactory,
    OrderLineFactory,
    ProductFactory,
    ProductImageFactory,
    ReviewFactory,
    ShipmentFactory,
)

pytestmark = pytest.mark.django_db

OWNER_ONLY = {
    "profile",
    "add_cooperative_photos",
    "delete_cooperative_photo",
    "members",
    "invite",
    "change_role",
    "remove_member",
    "cancel_invitation",
}
MANAGERS_AND_OWNERS = {"sales", "shipments_csv", "payouts_csv"}
EVERY_MEMBER = {
    "dashboard",
    "product_list",
    "product_create",
    "product_edit",
    "product_submit",
    "product_archive",
    "product_restore",
    "product_add_photos",
    "product_edit_photo",
    "product_move_photo",
    "product_delete_photo",
    "hs_code_search",
    "shipment_list",
    "shipment_detail",
    "shipment_ship",
    "shipment_deliver",
    "customs",
    "customs_pdf",
    "invoice",
    "invoice_pdf",
    "reviews",
    "review_reply",
}
ROUTE_NAMES = [pattern.name for pattern in cooperative_pages]


def cooperative_with_everything():
    """A cooperative with one of each thing a workspace URL can name."""
    cooperative = CooperativeFactory()
    owner = MembershipFactory(cooperative=cooperative, role=MembershipRole.OWNER)
    product = ProductFactory(cooperative=cooperative)
    shipment = ShipmentFactory(cooperative=cooperative, status="to_ship")
    OrderLineFactory(shipment=shipment, product=product)
    review = ReviewFactory(
        order_line__shipment__cooperative=cooperative, order_line__product=product
    )
    return {
        "cooperative_id": cooperative.pk,
        "product_id": product.pk,
        "photo_id": ProductImageFactory(product=product).pk,
        "shipment_id": shipment.pk,
        "membership_id": owner.pk,
        "invitation_id": InvitationFactory(cooperative=cooperative).pk,
        "review_id": review.pk,
    }


def url_of(name: str, ids: dict) -> str:
    """The route's URL with the ids it takes; a cooperative photo takes the cooperative's id."""
    pattern = next(p for p in cooperative_pages if p.name == name)
    wanted = {"cooperative_id", *pattern.pattern.converters}
    kwargs = {key: ids[key] for key in wanted}
    return reverse(f"workspace:{name}", kwargs=kwargs)


def snapshot() -> dict:
    """What the walk must leave as it was."""
    from artisans.models import Invitation, Membership
    from catalog.models import Product, ProductImage, Review
    from marketplace.models import Shipment

    return {
        "products": list(Product.objects.values_list("pk", "status", "title", "price")),
        "photos": list(ProductImage.objects.values_list("pk", "position", "alt_text")),
        "shipments": list(Shipment.objects.values_list("pk", "status", "tracking_number")),
        "memberships": list(Membership.objects.values_list("pk", "role")),
        "invitations": list(Invitation.objects.values_list("pk", "accepted_at")),
        "replies": list(Review.objects.values_list("pk", "reply")),
    }


def test_every_workspace_route_has_an_expected_role():
    assert set(ROUTE_NAMES) == OWNER_ONLY | MANAGERS_AND_OWNERS | EVERY_MEMBER
    assert len(ROUTE_NAMES) == len(set(ROUTE_NAMES))


@pytest.mark.parametrize("role", MembershipRole.values)
def test_a_member_of_another_cooperative_gets_404_on_every_url(client, role):
    theirs = cooperative_with_everything()
    ours = cooperative_with_everything()
    intruder = MembershipFactory(cooperative_id=ours["cooperative_id"], role=role).user
    client.force_login(intruder)
    before = snapshot()

    not_404 = {}
    for name in ROUTE_NAMES:
        url = url_of(name, theirs)
        for method in (client.get, client.post):
            if (status := method(url).status_code) != HTTPStatus.NOT_FOUND:
                not_404[(method.__name__, url)] = status

    assert not_404 == {}
    assert snapshot() == before


@pytest.mark.parametrize("role", MembershipRole.values)
def test_their_objects_under_our_cooperatives_id_are_404(client, role):
    theirs = cooperative_with_everything()
    ours = cooperative_with_everything()
    member = MembershipFactory(cooperative_id=ours["cooperative_id"], role=role).user
    client.force_login(member)
    before = snapshot()

    answers = {}
    for name in ROUTE_NAMES:
        url = url_of(name, {**theirs, "cooperative_id": ours["cooperative_id"]})
        if url == url_of(name, ours):
            continue  # the route names no object: it is our own page
        for method in (client.get, client.post):
            answers[(method.__name__, url)] = method(url).status_code

    # Never their object. 403 only where our own role is too low for the page, and 405 only
    # for a GET of an action (both answered before any object is looked at).
    posts = {status for (method, _), status in answers.items() if method == "post"}
    gets = {status for (method, _), status in answers.items() if method == "get"}
    if role == MembershipRole.OWNER:
        assert posts == {HTTPStatus.NOT_FOUND}
    assert posts <= {HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN}
    assert gets <= {HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN, HTTPStatus.METHOD_NOT_ALLOWED}
    assert snapshot() == before


def test_a_signed_out_visitor_is_sent_to_log_in_everywhere(client):
    ids = cooperative_with_everything()
    for name in ROUTE_NAMES:
        response = client.get(url_of(name, ids))
        assert response.status_code == HTTPStatus.FOUND, name
        assert "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        (MembershipRole.MEMBER, OWNER_ONLY | MANAGERS_AND_OWNERS),
        (MembershipRole.MANAGER, OWNER_ONLY),
        (MembershipRole.OWNER, set()),
    ],
)
def test_a_member_without_the_role_gets_403(client, role, refused):
    ids = cooperative_with_everything()
    user = MembershipFactory(cooperative_id=ids["cooperative_id"], role=role).user
    client.force_login(user)
    before = snapshot()

    forbidden = set()
    for name in ROUTE_NAMES:
        url = url_of(name, ids)
        statuses = {client.get(url).status_code}
        if name in refused:
            statuses.add(client.post(url).status_code)
        if HTTPStatus.FORBIDDEN in statuses:
            assert statuses == {HTTPStatus.FORBIDDEN}, (name, statuses)
            forbidden.add(name)

    assert forbidden == refused
    assert snapshot() == before


def test_a_suspended_cooperatives_members_can_read_but_not_change(client):
    ids = cooperative_with_everything()
    owner = MembershipFactory(cooperative_id=ids["cooperative_id"], role=MembershipRole.OWNER)
    owner.cooperative.status = CooperativeStatus.SUSPENDED
    owner.cooperative.save()
    client.force_login(owner.user)
    before = snapshot()

    for name in (
        "dashboard",
        "product_list",
        "product_edit",
        "shipment_list",
        "members",
        "reviews",
    ):
        assert client.get(url_of(name, ids)).status_code == HTTPStatus.OK, name
    changes = [
        "product_create",
        "product_edit",
        "product_submit",
        "product_archive",
        "product_add_photos",
        "product_delete_photo",
        "invite",
        "profile",
        "review_reply",
    ]
    for name in changes:
        response = client.post(url_of(name, ids), {"title": "Changed"})
        assert response.status_code == HTTPStatus.FORBIDDEN, name
        assert "suspended" in response.content.decode(), name

    assert snapshot() == before
