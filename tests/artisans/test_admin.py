from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from artisans.models import Cooperative, CooperativeStatus, MembershipRole
from catalog.models import Product
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/artisans/cooperative/"


def person(**fields):
    """A user whose password is saved (UserFactory sets it after saving), for force_login."""
    user = UserFactory(**fields)
    user.save()
    return user


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize(
    ("url", "make_row"),
    [
        ("/en/admin/artisans/region/", lambda n: RegionFactory(code=f"region-{n}")),
        (CHANGELIST, lambda n: CooperativeFactory()),
        ("/en/admin/artisans/membership/", lambda n: MembershipFactory()),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, url, make_row):
    make_row(0)
    admin_client.get(url)  # warm caches (content types, permissions)
    one = count_queries(admin_client, url)

    for n in range(1, 30):
        make_row(n)

    assert count_queries(admin_client, url) == one


@pytest.mark.parametrize("model", ["region", "cooperative", "membership"])
def test_add_and_change_pages_load(admin_client, model):
    membership = MembershipFactory()
    row = {
        "region": membership.cooperative.region,
        "cooperative": membership.cooperative,
        "membership": membership,
    }[model]

    assert admin_client.get(f"/en/admin/artisans/{model}/add/").status_code == HTTPStatus.OK
    response = admin_client.get(f"/en/admin/artisans/{model}/{row.pk}/change/")
    assert response.status_code == HTTPStatus.OK


def test_region_form_shows_every_language(admin_client):
    region = RegionFactory()

    html = admin_client.get(f"/en/admin/artisans/region/{region.pk}/change/").content.decode()

    for language in ("en", "fr", "ar"):
        assert f'name="name_{language}"' in html


def test_cooperative_change_page_shows_members_and_read_only_status(admin_client):
    membership = MembershipFactory(user__email="owner@tifawin.ma")

    response = admin_client.get(f"{CHANGELIST}{membership.cooperative.pk}/change/")

    html = response.content.decode()
    assert "owner@tifawin.ma" in html
    assert 'name="status"' not in html  # status moves only through the actions
    assert 'name="photos-TOTAL_FORMS"' in html


def test_cooperatives_filter_by_status_and_search_by_city(admin_client):
    CooperativeFactory(name="Tifawin", city="Tiznit", status=CooperativeStatus.PENDING)
    CooperativeFactory(name="Nour", city="Fes", status=CooperativeStatus.VERIFIED)

    pending = admin_client.get(f"{CHANGELIST}?status__exact=pending").content.decode()
    found = admin_client.get(f"{CHANGELIST}?q=fes").content.decode()

    assert "Tifawin" in pending
    assert "Nour" not in pending
    assert "Nour" in found
    assert "Tifawin" not in found


def test_verify_action_verifies_records_the_moderator_and_says_how_many(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    pending = CooperativeFactory(status=CooperativeStatus.PENDING)
    owner = MembershipFactory(cooperative=pending, role=MembershipRole.OWNER).user
    verified = CooperativeFactory(status=CooperativeStatus.VERIFIED)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "verify_selected", "_selected_action": [pending.pk, verified.pk]},
            follow=True,
        )

    assert response.status_code == HTTPStatus.OK
    assert "1 cooperative verified. 1 was verified already." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == CooperativeStatus.VERIFIED
    assert pending.status_changed_by == admin_user
    assert pending.status_changed_at is not None
    assert [mail.to for mail in mailoutbox] == [[owner.email]]


def test_suspend_action_asks_for_a_reason_first(admin_client):
    cooperative = CooperativeFactory(name="Cooperative Amal")

    response = admin_client.post(
        CHANGELIST, {"action": "suspend_selected", "_selected_action": [cooperative.pk]}
    )

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Cooperative Amal" in html
    assert 'name="reason"' in html
    assert 'name="apply"' in html
    assert f'name="_selected_action" value="{cooperative.pk}"' in html
    cooperative.refresh_from_db()
    assert cooperative.status == CooperativeStatus.VERIFIED


def test_suspend_action_without_a_reason_shows_the_error_and_changes_nothing(
    admin_client, mailoutbox
):
    cooperative = CooperativeFactory()
    MembershipFactory(cooperative=cooperative, role=MembershipRole.OWNER)

    response = admin_client.post(
        CHANGELIST,
        {
            "action": "suspend_selected",
            "_selected_action": [cooperative.pk],
            "apply": "1",
            "reason": "   ",
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This field is required." in response.content.decode()
    cooperative.refresh_from_db()
    assert cooperative.status == CooperativeStatus.VERIFIED
    assert mailoutbox == []


def test_suspend_action_with_a_reason_hides_the_products_and_tells_the_owner(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    cooperative = CooperativeFactory()
    ProductFactory(cooperative=cooperative)
    owner = MembershipFactory(
        cooperative=cooperative, role=MembershipRole.OWNER, user__language="ar"
    ).user

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {
                "action": "suspend_selected",
                "_selected_action": [cooperative.pk],
                "apply": "1",
                "reason": "Certificates expired.",
            },
            follow=True,
        )

    assert "1 cooperative suspended." in response.content.decode()
    cooperative.refresh_from_db()
    assert cooperative.status == CooperativeStatus.SUSPENDED
    assert cooperative.status_reason == "Certificates expired."
    assert cooperative.status_changed_by == admin_user
    assert not Product.objects.published().exists()
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "Certificates expired." in mail.body


def test_a_logged_in_non_staff_user_cannot_run_actions(client):
    client.force_login(person())
    cooperative = CooperativeFactory(status=CooperativeStatus.PENDING)

    response = client.post(
        CHANGELIST, {"action": "verify_selected", "_selected_action": [cooperative.pk]}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert client.get(response["Location"]).status_code == HTTPStatus.FORBIDDEN
    assert Cooperative.objects.get(pk=cooperative.pk).status == CooperativeStatus.PENDING


def test_staff_who_may_only_view_cannot_verify(client):
    viewer = person(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_cooperative"))
    client.force_login(viewer)
    cooperative = CooperativeFactory(status=CooperativeStatus.PENDING)

    response = client.post(
        CHANGELIST,
        {"action": "verify_selected", "_selected_action": [cooperative.pk]},
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    assert response.wsgi_request.user == viewer
    assert b"verify_selected" not in response.content  # the action is not offered
    assert Cooperative.objects.get(pk=cooperative.pk).status == CooperativeStatus.PENDING


def test_region_autocomplete_serves_the_cooperative_form(admin_client):
    RegionFactory(
        code="fes-meknes", name_en="Fès-Meknès", name_fr="Fès-Meknès", name_ar="فاس مكناس"
    )

    response = admin_client.get(
        "/en/admin/autocomplete/",
        {
            "app_label": "artisans",
            "model_name": "cooperative",
            "field_name": "region",
            "term": "مكناس",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert [result["text"] for result in response.json()["results"]] == ["Fès-Meknès"]
