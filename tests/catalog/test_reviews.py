"""The rules of catalog/reviews.py: who may review, writing, editing, moderation, reports,
helpful votes, the cooperative's reply and the figures pages show."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from PIL import Image

from artisans.models import MembershipRole
from catalog import reviews
from catalog.models import (
    Review,
    ReviewPhoto,
    ReviewReport,
    ReviewStatus,
    ReviewVote,
    StarShare,
)
from catalog.reviews import (
    check_may_review,
    edit_review,
    hide_review,
    mark_helpful,
    order_review_states,
    publish_review,
    reject_review,
    reply_to_review,
    report_review,
    submit_review,
)
from marketplace.models import OrderStatus, ShipmentStatus
from tests.catalog.review_helpers import delivered_line
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ReviewFactory,
    UserFactory,
)
from tests.images import files_under, not_an_image, photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def refusal_code(user, line) -> str:
    with pytest.raises(ValidationError) as refused:
        check_may_review(user, line)
    return refused.value.code


def review_with(line, *, photos):
    """The buyer's five stars and a good text, with those photos."""
    return submit_review(
        line,
        author=line.shipment.order.user,
        rating=5,
        text="Beautiful, soft and well made.",
        photos=photos,
    )


def test_the_status_names_match_marketplaces():
    assert reviews.PAID == OrderStatus.PAID
    assert reviews.DELIVERED == ShipmentStatus.DELIVERED
    assert set(reviews.SENT) == {ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED}


# ---------------------------------------------------------------- who may review


def test_the_buyer_of_a_paid_delivered_line_may_review_it():
    line = delivered_line()
    buyer = line.shipment.order.user

    check_may_review(buyer, line)  # no refusal


def test_a_line_shipped_but_not_delivered_waits_and_says_from_when():
    line = delivered_line(shipment_status="shipped", shipped_days_ago=3)
    buyer = line.shipment.order.user

    with pytest.raises(ValidationError) as refused:
        check_may_review(buyer, line)

    assert refused.value.code == "not_delivered"
    opens = (line.shipment.shipped_at + timedelta(days=14)).date()
    assert "you can review it from" in refused.value.messages[0]
    assert str(opens.year) in refused.value.messages[0]


def test_fourteen_days_after_shipping_the_buyer_may_review_without_delivery():
    line = delivered_line(shipment_status="shipped", shipped_days_ago=14.01)

    check_may_review(line.shipment.order.user, line)  # no refusal


def test_the_waiting_time_is_a_setting_read_when_used(settings):
    line = delivered_line(shipment_status="shipped", shipped_days_ago=3)
    settings.SOUK_REVIEW_AFTER_SHIPPED_DAYS = 2

    check_may_review(line.shipment.order.user, line)  # no refusal


def test_a_line_not_shipped_yet_cannot_be_reviewed():
    line = delivered_line(shipment_status="to_ship", shipped_days_ago=None)

    assert refusal_code(line.shipment.order.user, line) == "not_shipped"


def test_another_user_may_not_review_the_line():
    line = delivered_line()
    stranger = UserFactory()

    with pytest.raises(ValidationError) as refused:
        check_may_review(stranger, line)

    assert refused.value.code == "not_your_order"
    assert "Only the buyer who ordered" in refused.value.messages[0]


def test_a_guest_order_cannot_be_reviewed():
    line = delivered_line(guest=True)

    with pytest.raises(ValidationError) as refused:
        check_may_review(UserFactory(), line)

    assert refused.value.code == "guest_order"
    assert "placed without an account" in refused.value.messages[0]


def test_an_unpaid_order_cannot_be_reviewed():
    line = delivered_line(order_status="awaiting_payment")

    assert refusal_code(line.shipment.order.user, line) == "not_paid"


def test_a_line_is_reviewed_once():
    line = delivered_line()
    buyer = line.shipment.order.user
    submit_review(line, author=buyer, rating=5, text="Beautiful, soft and well made.")

    with pytest.raises(ValidationError) as refused:
        submit_review(line, author=buyer, rating=1, text="Changed my mind, writing again.")

    assert refused.value.code == "already_reviewed"
    assert Review.objects.get().rating == 5


def test_the_database_refuses_a_second_review_of_a_line():
    review = ReviewFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(order_line=review.order_line)


@pytest.mark.parametrize("rating", [0, 6])
def test_the_database_refuses_a_rating_outside_one_to_five(rating):
    with pytest.raises(ValidationError):
        ReviewFactory.build(rating=rating, order_line=delivered_line()).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(rating=rating)


# ---------------------------------------------------------------- writing


def test_a_review_is_published_at_once_with_the_buyers_name_and_country(media_root):
    line = delivered_line()

    review = submit_review(
        line,
        author=line.shipment.order.user,
        rating="4",
        text="  Soft wool, warm colours.  ",
        photos=[photo("one.jpg"), photo("two.png", size=(1200, 900))],
    )

    assert review.status == ReviewStatus.PUBLISHED
    assert (review.rating, review.text) == (4, "Soft wool, warm colours.")
    assert (review.author_name, review.country, review.language) == ("Claire M.", "FR", "en")
    assert review.product_id == line.product_id
    assert review.cooperative_id == line.shipment.cooperative_id
    photos = list(review.photos.order_by("position"))
    assert len(photos) == 2
    for stored in photos:
        with Image.open(media_root / stored.image.name) as image:
            assert image.format == "JPEG"
        with Image.open(media_root / stored.thumbnail.name) as thumbnail:
            assert thumbnail.size == (240, 240)
    assert photos[1].width == 1200


def test_reviews_are_held_for_moderation_by_the_setting(settings):
    settings.SOUK_REVIEWS_HELD_FOR_MODERATION = True
    line = delivered_line()

    review = submit_review(line, author=line.shipment.order.user, rating=5, text="Wonderful piece.")

    assert review.status == ReviewStatus.PENDING
    assert Review.objects.rating_summary().count == 0


@pytest.mark.parametrize(
    ("rating", "text", "code"),
    [
        (0, "A fine carpet indeed.", "invalid_rating"),
        (6, "A fine carpet indeed.", "invalid_rating"),
        ("abc", "A fine carpet indeed.", "invalid_rating"),
        (None, "A fine carpet indeed.", "invalid_rating"),
        (5, "Too short", "text_too_short"),
        (5, "x" * 10_000, "text_too_long"),
    ],
)
def test_bad_stars_or_text_write_nothing(media_root, rating, text, code):
    line = delivered_line()

    with pytest.raises(ValidationError) as refused:
        submit_review(
            line, author=line.shipment.order.user, rating=rating, text=text, photos=[photo()]
        )

    assert refused.value.code == code
    assert not Review.objects.exists()
    assert files_under(media_root) == []


def test_one_bad_photo_refuses_the_review_and_leaves_no_file(media_root):
    line = delivered_line()

    with pytest.raises(ValidationError) as refused:
        review_with(line, photos=[photo("good.jpg"), not_an_image("bad.jpg")])

    assert "bad.jpg" in refused.value.messages[0]
    assert not Review.objects.exists()
    assert not ReviewPhoto.objects.exists()
    assert files_under(media_root) == []


def test_more_than_three_photos_are_refused_before_any_is_read(media_root):
    line = delivered_line()

    with pytest.raises(ValidationError) as refused:
        review_with(line, photos=[photo() for _ in range(4)])

    assert refused.value.code == "too_many_photos"
    assert files_under(media_root) == []


def test_a_failure_after_the_files_are_written_removes_them(media_root, monkeypatch):
    line = delivered_line()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ReviewPhoto.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        review_with(line, photos=[photo()])

    assert not Review.objects.exists()
    assert files_under(media_root) == []


def test_the_shown_name_is_first_name_and_initial_or_from_the_order():
    anonymous_buyer = UserFactory(first_name="", last_name="")
    line = delivered_line(buyer=anonymous_buyer)

    review = submit_review(line, author=anonymous_buyer, rating=5, text="Beautiful piece, thanks.")

    assert review.author_name == "Claire M."  # the order's full name: "Claire Martin"
    assert "@" not in review.author_name


# ---------------------------------------------------------------- editing


def test_the_author_edits_the_review_and_the_figures_follow():
    review = ReviewFactory(rating=5)
    ReviewFactory(rating=5, order_line__product=review.product)

    edit_review(review, author=review.author, rating=2, text="Faded after a month.")

    review.refresh_from_db()
    assert (review.rating, review.text, review.status) == (2, "Faded after a month.", "published")
    summary = review.product.reviews.rating_summary()
    assert (summary.count, summary.average, summary.satisfaction) == (2, Decimal("3.5"), 50)


def test_an_edit_goes_back_to_moderation_while_reviews_are_held(settings):
    review = ReviewFactory(rating=5)
    settings.SOUK_REVIEWS_HELD_FOR_MODERATION = True

    edit_review(review, author=review.author, rating=1, text="Not what I ordered at all.")

    assert review.status == ReviewStatus.PENDING
    assert Review.objects.rating_summary().count == 0


def test_only_the_author_edits_a_review():
    review = ReviewFactory(rating=5)

    with pytest.raises(ValidationError) as refused:
        edit_review(review, author=UserFactory(), rating=1, text="Someone else's words.")

    assert refused.value.code == "not_your_review"
    review.refresh_from_db()
    assert review.rating == 5


def test_a_rejected_review_cannot_be_edited_back_into_view():
    review = ReviewFactory(status=ReviewStatus.REJECTED)

    with pytest.raises(ValidationError) as refused:
        edit_review(review, author=review.author, rating=5, text="Trying again with the same.")

    assert refused.value.code == "review_moderated"
    assert review.status == ReviewStatus.REJECTED


# ---------------------------------------------------------------- moderation


def test_a_moderator_publishes_a_held_review():
    moderator = UserFactory(is_staff=True)
    review = ReviewFactory(status=ReviewStatus.PENDING)

    publish_review(review, by=moderator)

    assert (review.status, review.moderated_by) == (ReviewStatus.PUBLISHED, moderator)
    assert review.moderated_at is not None


def test_hiding_a_review_changes_the_figures_at_once():
    moderator = UserFactory(is_staff=True)
    product = ProductFactory()
    low = ReviewFactory(rating=1, order_line__product=product)
    ReviewFactory(rating=5, order_line__product=product)
    before = product.reviews.rating_summary()

    hide_review(low, by=moderator, reason="Insults the artisan.")

    after = product.reviews.rating_summary()
    assert (before.count, before.average, before.satisfaction) == (2, Decimal("3.0"), 50)
    assert (after.count, after.average, after.satisfaction) == (1, Decimal("5.0"), 100)
    assert (low.status, low.moderation_reason) == (ReviewStatus.HIDDEN, "Insults the artisan.")


def test_rejecting_needs_a_reason_and_changes_nothing_without_one():
    review = ReviewFactory()

    with pytest.raises(ValidationError) as refused:
        reject_review(review, by=UserFactory(is_staff=True), reason="   ")

    assert refused.value.code == "reason_required"
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_a_decision_already_taken_is_refused():
    moderator = UserFactory(is_staff=True)
    review = ReviewFactory(status=ReviewStatus.REJECTED)

    with pytest.raises(ValidationError) as refused:
        reject_review(review, by=moderator, reason="Spam.")

    assert refused.value.code == "not_moderatable"


def test_a_committed_change_tells_the_listeners_and_busts_the_pages(
    django_capture_on_commit_callbacks,
):
    review = ReviewFactory()
    heard = []

    def listener(sender, cooperative_id, **kwargs):
        heard.append(cooperative_id)

    reviews.published_reviews_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            hide_review(review, by=UserFactory(is_staff=True), reason="Spam.")
    finally:
        reviews.published_reviews_changed.disconnect(listener)

    assert heard == [review.cooperative_id]


# ---------------------------------------------------------------- reports and votes


def test_a_signed_in_reader_reports_a_review_once():
    review = ReviewFactory()
    reader = UserFactory()

    report_review(review, reporter=reader, reason="offensive")
    with pytest.raises(ValidationError) as refused:
        report_review(review, reporter=reader, reason="spam")

    assert refused.value.code == "already_reported"
    assert list(ReviewReport.objects.values_list("reporter", "reason")) == [
        (reader.pk, "offensive")
    ]


def test_a_report_needs_a_known_reason():
    with pytest.raises(ValidationError) as refused:
        report_review(ReviewFactory(), reporter=UserFactory(), reason="<script>")

    assert refused.value.code == "invalid_reason"
    assert not ReviewReport.objects.exists()


def test_helpful_counts_once_per_reader():
    review = ReviewFactory()
    reader, other = UserFactory(), UserFactory()

    assert mark_helpful(review, reader) is True
    assert mark_helpful(review, reader) is False
    assert mark_helpful(review, other) is True

    review.refresh_from_db()
    assert review.helpful_count == 2
    assert ReviewVote.objects.count() == 2


def test_the_author_cannot_vote_for_their_own_review():
    review = ReviewFactory()

    with pytest.raises(ValidationError):
        mark_helpful(review, review.author)

    review.refresh_from_db()
    assert review.helpful_count == 0


def test_a_hidden_review_takes_no_vote_or_report():
    review = ReviewFactory(status=ReviewStatus.HIDDEN)

    with pytest.raises(ValidationError):
        mark_helpful(review, UserFactory())
    with pytest.raises(ValidationError):
        report_review(review, reporter=UserFactory(), reason="spam")

    assert not ReviewVote.objects.exists()
    assert not ReviewReport.objects.exists()


# ---------------------------------------------------------------- the cooperative's reply


@pytest.mark.parametrize("role", MembershipRole.values)
def test_any_member_of_the_cooperative_replies_once(role):
    review = ReviewFactory()
    member = MembershipFactory(cooperative=review.cooperative, role=role).user

    reply_to_review(review, cooperative=review.cooperative, by=member, text="Thank you, Claire!")
    with pytest.raises(ValidationError) as refused:
        reply_to_review(review, cooperative=review.cooperative, by=member, text="Again!")

    assert refused.value.code == "already_replied"
    review.refresh_from_db()
    assert (review.reply, review.replied_by) == ("Thank you, Claire!", member)
    assert review.replied_at is not None


def test_only_the_reviews_cooperative_replies():
    review = ReviewFactory()
    other = CooperativeFactory()
    outsider = MembershipFactory(cooperative=other).user

    with pytest.raises(ValidationError) as elsewhere:
        reply_to_review(review, cooperative=other, by=outsider, text="Buy from us instead!")
    with pytest.raises(ValidationError) as not_member:
        reply_to_review(review, cooperative=review.cooperative, by=outsider, text="Hello there")

    assert elsewhere.value.code == "not_your_cooperative"
    assert not_member.value.code == "not_a_member"
    review.refresh_from_db()
    assert review.reply == ""


# ---------------------------------------------------------------- figures


def test_the_summary_counts_only_published_reviews_in_one_query(django_assert_num_queries):
    product = ProductFactory()
    for rating in (5, 5, 5, 4, 2):
        ReviewFactory(rating=rating, order_line__product=product)
    ReviewFactory(rating=1, order_line__product=product, status=ReviewStatus.PENDING)
    ReviewFactory(rating=1, order_line__product=product, status=ReviewStatus.HIDDEN)
    ReviewFactory(rating=1)  # another product's

    with django_assert_num_queries(1):
        summary = product.reviews.rating_summary()

    assert summary.count == 5
    assert summary.average == Decimal("4.2")
    assert summary.satisfaction == 80
    assert summary.distribution == (
        StarShare(5, 3, 60),
        StarShare(4, 1, 20),
        StarShare(3, 0, 0),
        StarShare(2, 1, 20),
        StarShare(1, 0, 0),
    )


def test_the_summary_of_no_review_is_empty():
    summary = Review.objects.rating_summary()

    assert (summary.count, summary.average, summary.satisfaction) == (0, None, None)
    assert [share.count for share in summary.distribution] == [0] * 5


def test_percentages_round_half_up():
    product = ProductFactory()
    for rating in (5, 4, 3, 3, 3, 3, 3, 3):  # 2 of 8 satisfied: 25%; 1 of 8: 12.5% → 13%
        ReviewFactory(rating=rating, order_line__product=product)

    summary = product.reviews.rating_summary()

    assert summary.satisfaction == 25
    assert summary.distribution[0] == StarShare(5, 1, 13)
    assert summary.average == Decimal("3.4")  # 27 / 8 = 3.375


# ---------------------------------------------------------------- the order page's states


def test_the_order_page_knows_each_lines_review_state(django_assert_num_queries):
    line = delivered_line()
    order = line.shipment.order
    buyer = order.user
    from marketplace.orders import orders_for_page

    page_order = orders_for_page().get(pk=order.pk)
    list(page_order.shipments.all())  # the page reads these anyway

    with django_assert_num_queries(1):
        states = order_review_states(page_order, buyer)
    assert states[line.pk].may_review

    review = submit_review(line, author=buyer, rating=4, text="Beautiful, soft and well made.")
    page_order = orders_for_page().get(pk=order.pk)
    assert order_review_states(page_order, buyer)[line.pk].review == review
    assert order_review_states(page_order, UserFactory()) == {}
