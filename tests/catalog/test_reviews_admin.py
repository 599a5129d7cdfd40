"""Moderating reviews in Django admin: the list flags reported reviews; publish, hide and
reject (the last two with a reason) are the list's actions."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ReviewStatus
from catalog.reviews import report_review
from tests.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/catalog/review/"


def test_the_list_shows_the_reports_and_filters_the_reported(admin_client):
    reported = ReviewFactory(author_name="Reported R.")
    ReviewFactory(author_name="Quiet Q.")
    for _ in range(2):
        report_review(reported, reporter=UserFactory(), reason="offensive")

    everything = admin_client.get(CHANGELIST).content.decode()
    only_reported = admin_client.get(CHANGELIST, {"reported": "yes"}).content.decode()

    assert "<strong>⚑ 2</strong>" in everything
    assert "Quiet Q." in everything
    assert "Reported R." in only_reported
    assert "Quiet Q." not in only_reported


def test_the_list_filters_by_status(admin_client):
    ReviewFactory(author_name="Held H.", status=ReviewStatus.PENDING)
    ReviewFactory(author_name="Shown S.")

    page = admin_client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()

    assert "Held H." in page
    assert "Shown S." not in page


def test_the_list_queries_do_not_grow(admin_client):
    ReviewFactory()
    with CaptureQueriesContext(connection) as one:
        admin_client.get(CHANGELIST)
    for _ in range(20):
        ReviewFactory()
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK
    assert len(many) == len(one)


def test_publish_action_publishes_held_reviews(admin_client, admin_user):
    held = ReviewFactory(status=ReviewStatus.PENDING)

    response = admin_client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [held.pk]},
        follow=True,
    )

    assert "1 review published." in response.content.decode()
    held.refresh_from_db()
    assert (held.status, held.moderated_by) == (ReviewStatus.PUBLISHED, admin_user)


@pytest.mark.parametrize(
    ("action", "status"),
    [("hide_selected", ReviewStatus.HIDDEN), ("reject_selected", ReviewStatus.REJECTED)],
)
def test_hide_and_reject_ask_a_reason_then_record_it(admin_client, admin_user, action, status):
    review = ReviewFactory(text="Call me on +212 600 000 000 for a discount.")

    first = admin_client.post(CHANGELIST, {"action": action, "_selected_action": [review.pk]})
    missing = admin_client.post(
        CHANGELIST, {"action": action, "_selected_action": [review.pk], "apply": "1"}
    )
    review.refresh_from_db()
    unchanged = review.status
    done = admin_client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [review.pk],
            "apply": "1",
            "reason": "A phone number and an advert.",
        },
        follow=True,
    )

    assert first.status_code == HTTPStatus.OK
    assert 'name="reason"' in first.content.decode()
    assert "Nobody is mailed." in first.content.decode()
    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert unchanged == ReviewStatus.PUBLISHED
    assert done.status_code == HTTPStatus.OK
    review.refresh_from_db()
    assert review.status == status
    assert review.moderation_reason == "A phone number and an advert."
    assert review.moderated_by == admin_user


def test_the_admin_cannot_add_or_delete_a_review(admin_client):
    review = ReviewFactory()

    assert admin_client.get(f"{CHANGELIST}add/").status_code == HTTPStatus.FORBIDDEN
    assert admin_client.get(f"{CHANGELIST}{review.pk}/change/").status_code == HTTPStatus.OK
    assert admin_client.get(f"{CHANGELIST}{review.pk}/delete/").status_code == HTTPStatus.FORBIDDEN
