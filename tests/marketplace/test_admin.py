from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import User
from tests.factories import EmailAddressFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_user_changelist_queries_do_not_grow_with_rows(admin_client):
    url = "/en/admin/marketplace/user/"
    EmailAddressFactory()
    admin_client.get(url)  # warm caches (content types, permissions)
    one = count_queries(admin_client, url)

    for user in UserFactory.create_batch(29):
        EmailAddressFactory(user=user)

    assert count_queries(admin_client, url) == one


def test_user_list_shows_email_and_verification(admin_client):
    verified = EmailAddressFactory().user
    unverified = UserFactory()

    response = admin_client.get("/en/admin/marketplace/user/")

    html = response.content.decode()
    assert verified.email in html
    assert unverified.email in html
    assert 'alt="True"' in html  # the verified address
    assert 'alt="False"' in html


def test_user_search_finds_by_email(admin_client):
    UserFactory(email="fatima.zahra@example.com")
    UserFactory(email="omar@example.com")

    response = admin_client.get("/en/admin/marketplace/user/?q=fatima")

    assert b"fatima.zahra@example.com" in response.content
    assert b"omar@example.com" not in response.content


def test_user_change_page_shows_memberships_and_no_username(admin_client):
    membership = MembershipFactory()

    response = admin_client.get(f"/en/admin/marketplace/user/{membership.user.pk}/change/")

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'name="username"' not in html
    assert 'name="email"' in html
    assert 'name="language"' in html
    assert membership.cooperative.name in html


def test_admin_adds_a_user_by_email(admin_client):
    response = admin_client.get("/en/admin/marketplace/user/add/")
    assert response.status_code == HTTPStatus.OK

    response = admin_client.post(
        "/en/admin/marketplace/user/add/",
        {
            "email": "new.moderator@example.com",
            "usable_password": "true",
            "password1": "Tadelakt-Marrakech-9",
            "password2": "Tadelakt-Marrakech-9",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="new.moderator@example.com")
    assert user.check_password("Tadelakt-Marrakech-9")
