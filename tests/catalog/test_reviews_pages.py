"""Reviews on the pages: the product and cooperative pages, the buyer's order page and review
form, the helpful and report buttons, and the workspace's reviews with their replies."""

from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from artisans.models import MembershipRole
from catalog.models import Review, ReviewPhoto, ReviewReport, ReviewStatus, ReviewVote
from catalog.reviews import hide_review, submit_review
from tests.catalog.review_helpers import delivered_line, not_an_image, photo
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def product_url(product) -> str:
    return reverse("catalog:product_detail", args=[product.slug])


def reviews_of(product, count: int, **fields) -> list[Review]:
    return [
        ReviewFactory(
            order_line__product=product,
            order_line__shipment__cooperative=product.cooperative,
            **fields,
        )
        for _ in range(count)
    ]


# ---------------------------------------------------------------- product page


def test_the_product_page_shows_the_figures_and_the_reviews_with_the_reply(client):
    product = ProductFactory()
    ReviewFactory(
        order_line__product=product,
        rating=5,
        author_name="Claire M.",
        country="FR",
        text="Soft wool, warm colours.",
        reply="Merci Claire !",
        replied_at=timezone.now(),
    )
    ReviewFactory(order_line__product=product, rating=2, text="Smaller than I thought.")
    ReviewFactory(order_line__product=product, rating=1, status=ReviewStatus.HIDDEN, text="Gone")

    page = client.get(product_url(product)).content.decode()

    assert '<span class="review-summary__number">3.5</span>' in page
    assert "2 reviews from verified buyers" in page
    assert "50% satisfied" in page
    assert '<meter class="review-bar" min="0" max="100" value="50"' in page
    assert 'aria-label="5 out of 5 stars"' in page
    assert "Claire M." in page
    assert "France" in page
    assert "Soft wool, warm colours." in page
    assert "The reply of" in page
    assert "Merci Claire !" in page
    assert "Gone" not in page
    assert ' style="' not in page  # the CSP forbids inline styles


def test_a_reviews_markup_is_shown_as_text(client):
    review = ReviewFactory(
        text='<script>alert("x")</script> <img src=x onerror=alert(1)>',
        author_name="<b>Claire</b>",
        reply="<a href='https://spam.example'>cheap</a>",
        replied_at=timezone.now(),
    )

    page = client.get(product_url(review.product)).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<b>Claire</b>" not in page
    assert "https://spam.example'>" not in page


def test_a_product_without_review_says_so(client):
    product = ProductFactory()

    page = client.get(product_url(product)).content.decode()

    assert "No review yet." in page
    assert "review-summary" not in page


def test_the_reviews_sort_newest_or_most_helpful_and_page_by_ten(client):
    product = ProductFactory()
    reviews = reviews_of(product, 12)
    for days, review in enumerate(reviews):
        Review.objects.filter(pk=review.pk).update(
            created_at=timezone.now() - timedelta(days=days), helpful_count=days
        )
    url = product_url(product)

    newest = client.get(url).content.decode()
    helpful = client.get(url, {"reviews_sort": "helpful"}).content.decode()
    second = client.get(url, {"reviews_page": "2"}).content.decode()
    junk = client.get(url, {"reviews_sort": "<b>", "reviews_page": "x"})

    def shown(page: str) -> list[int]:
        return [r.pk for r in reviews if f'id="review-{r.pk}"' in page]

    assert shown(newest) == [r.pk for r in reviews[:10]]
    assert newest.index(f'id="review-{reviews[0].pk}"') < newest.index(
        f'id="review-{reviews[1].pk}"'
    )
    assert helpful.index(f'id="review-{reviews[11].pk}"') < helpful.index(
        f'id="review-{reviews[10].pk}"'
    )
    assert shown(second) == [reviews[10].pk, reviews[11].pk]
    assert "Page 2 of 2" in second
    assert f"{url}?reviews_page=2#reviews" in newest
    assert junk.status_code == HTTPStatus.OK
    assert shown(junk.content.decode()) == shown(newest)


@pytest.mark.parametrize("count", [1, 30])
def test_product_page_queries_do_not_grow_with_reviews(client, django_assert_num_queries, count):
    product = ProductFactory()
    for review in reviews_of(product, count):
        ReviewPhoto.objects.create(
            review=review, image="reviews/a.jpg", thumbnail="reviews/t.jpg", width=9, height=9
        )
    url = product_url(product)

    # Cold: is it visible, the product in full, its photos, its labels and its cooperative's,
    # related products; the reviews' figures, the page of reviews, their photos.
    with django_assert_num_queries(9):
        cold = client.get(url)
    with django_assert_num_queries(0):  # visitors: the whole page from the cache
        warm = client.get(url)
    client.force_login(UserFactory())
    # Signed in: the session, the user, is it visible; the fragment from the cache.
    with django_assert_num_queries(3):
        signed_in = client.get(url)

    for response in (cold, warm, signed_in):
        assert response.content.decode().count('class="review"') == min(count, 10)


def test_hiding_a_review_shows_on_the_cached_page_at_once(
    client, django_capture_on_commit_callbacks
):
    product = ProductFactory()
    low = ReviewFactory(order_line__product=product, rating=1, text="Rude words here.")
    ReviewFactory(order_line__product=product, rating=5)
    url = product_url(product)
    assert "Rude words here." in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        hide_review(low, by=UserFactory(is_staff=True), reason="Rude.")

    page = client.get(url).content.decode()
    assert "Rude words here." not in page
    assert '<span class="review-summary__number">5.0</span>' in page
    assert "1 review from verified buyers" in page


def test_editing_a_review_shows_on_the_cached_page_at_once(
    client, django_capture_on_commit_callbacks
):
    review = ReviewFactory(rating=5, text="Perfect in every way.")
    url = product_url(review.product)
    client.get(url)
    author = review.author
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("catalog:review_edit", args=[review.pk]),
            {"rating": "3", "text": "Faded a little after a month."},
        )
    client.logout()

    page = client.get(url).content.decode()
    assert "Faded a little after a month." in page
    assert '<span class="review-summary__number">3.0</span>' in page


# ---------------------------------------------------------------- cooperative page


@pytest.mark.parametrize("count", [1, 30])
def test_cooperative_page_shows_reviews_in_constant_queries(
    client, django_assert_num_queries, count
):
    cooperative = CooperativeFactory()
    product = ProductFactory(cooperative=cooperative, title="Azilal carpet")
    reviews_of(product, count, rating=4)
    url = reverse("artisans:cooperative_detail", args=[cooperative.slug])

    # Cold: is it verified, the count, the cooperative with its region, its photos, its labels,
    # the page of products, their photos, their labels; the reviews' figures, the page of
    # reviews, their photos.
    with django_assert_num_queries(11):
        cold = client.get(url)
    with django_assert_num_queries(0):
        warm = client.get(url)

    page = warm.content.decode()
    assert cold.content.decode().count('class="review"') == min(count, 10)
    assert page.count('class="review"') == min(count, 10)
    assert "About:" in page
    assert "Azilal carpet" in page
    assert "100% satisfied" in page


# ---------------------------------------------------------------- the buyer's order page


def test_the_order_page_offers_a_review_per_delivered_line_then_says_reviewed(client):
    line = delivered_line()
    waiting = delivered_line(
        buyer=line.shipment.order.user, shipment_status="shipped", shipped_days_ago=2
    )
    client.force_login(line.shipment.order.user)
    order_url = reverse("marketplace:order_detail", args=[line.shipment.order.number])
    write_url = reverse("catalog:review_create", args=[line.pk])

    before = client.get(order_url).content.decode()
    submit_review(line, author=line.shipment.order.user, rating=5, text="Lovely, thank you!")
    after = client.get(order_url).content.decode()
    other = client.get(
        reverse("marketplace:order_detail", args=[waiting.shipment.order.number])
    ).content.decode()

    assert f'href="{write_url}"' in before
    assert "Write a review" in before
    assert f'href="{write_url}"' not in after
    assert "Reviewed" in after
    assert reverse("catalog:review_edit", args=[line.review.pk]) in after
    assert "Write a review" not in other
    assert "You can review it from" in other


def test_a_parcel_not_shipped_yet_says_nothing_about_reviews(client):
    line = delivered_line(shipment_status="to_ship", shipped_days_ago=None)
    client.force_login(line.shipment.order.user)

    page = client.get(
        reverse("marketplace:order_detail", args=[line.shipment.order.number])
    ).content.decode()

    assert "line-review" in page
    assert "Write a review" not in page
    assert "review it from" not in page


# ---------------------------------------------------------------- the review form


def test_the_buyer_reviews_a_delivered_line_with_stars_text_and_photos(client, media_root):
    line = delivered_line()
    client.force_login(line.shipment.order.user)
    url = reverse("catalog:review_create", args=[line.pk])

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {"rating": "5", "text": "Soft wool, warm colours.", "photos": [photo(), photo("b.jpg")]},
    )

    assert 'type="radio" name="rating" value="5"' in form
    assert 'enctype="multipart/form-data"' in form
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "marketplace:order_detail", args=[line.shipment.order.number]
    )
    review = Review.objects.get()
    assert (review.rating, review.text, review.status) == (
        5,
        "Soft wool, warm colours.",
        "published",
    )
    assert review.photos.count() == 2
    assert len(files_under(media_root)) == 4
    assert "is published" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"rating": "0", "text": "A fine carpet indeed."},
        {"rating": "6", "text": "A fine carpet indeed."},
        {"rating": "abc", "text": "A fine carpet indeed."},
        {"text": "A fine carpet indeed."},
        {"rating": "5", "text": "x" * 10_000},
        {"rating": "5", "text": "short"},
    ],
)
def test_hostile_review_input_is_a_400_and_writes_nothing(client, media_root, data):
    line = delivered_line()
    client.force_login(line.shipment.order.user)

    response = client.post(
        reverse("catalog:review_create", args=[line.pk]), {**data, "photos": [photo()]}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="errorlist' in response.content.decode()
    assert not Review.objects.exists()
    assert files_under(media_root) == []


def test_a_bad_photo_is_a_400_naming_the_file_and_writes_nothing(client, media_root):
    line = delivered_line()
    client.force_login(line.shipment.order.user)

    response = client.post(
        reverse("catalog:review_create", args=[line.pk]),
        {"rating": "5", "text": "A fine carpet indeed.", "photos": [photo(), not_an_image()]},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "carpet.jpg" in page
    assert "not a JPEG, PNG or WebP image" in page
    assert not Review.objects.exists()
    assert files_under(media_root) == []


def test_four_photos_are_a_400(client, media_root):
    line = delivered_line()
    client.force_login(line.shipment.order.user)

    response = client.post(
        reverse("catalog:review_create", args=[line.pk]),
        {"rating": "5", "text": "A fine carpet indeed.", "photos": [photo() for _ in range(4)]},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Review.objects.exists()
    assert files_under(media_root) == []


def test_another_buyers_line_is_a_404(client):
    line = delivered_line()
    client.force_login(UserFactory())

    url = reverse("catalog:review_create", args=[line.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    response = client.post(url, {"rating": "1", "text": "Trying to review it anyway."})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Review.objects.exists()


def test_a_line_not_delivered_yet_is_refused_with_the_date(client):
    line = delivered_line(shipment_status="shipped", shipped_days_ago=1)
    client.force_login(line.shipment.order.user)

    response = client.post(
        reverse("catalog:review_create", args=[line.pk]),
        {"rating": "5", "text": "Reviewing before it arrives."},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "you can review it from" in response.content.decode()
    assert not Review.objects.exists()


def test_a_reviewed_line_leads_to_the_edit_page(client):
    review = ReviewFactory()
    client.force_login(review.author)

    response = client.get(reverse("catalog:review_create", args=[review.order_line_id]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("catalog:review_edit", args=[review.pk])


def test_a_visitor_is_sent_to_log_in(client):
    line = delivered_line()

    response = client.get(reverse("catalog:review_create", args=[line.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_only_the_author_opens_the_edit_page(client):
    review = ReviewFactory(text="My own words here.")
    client.force_login(UserFactory())

    url = reverse("catalog:review_edit", args=[review.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.post(url, {"rating": "1", "text": "Changed by a stranger."}).status_code
        == HTTPStatus.NOT_FOUND
    )
    review.refresh_from_db()
    assert review.text == "My own words here."


def test_a_bad_edit_is_a_400_and_changes_nothing(client):
    review = ReviewFactory(rating=5, text="My own words here.")
    client.force_login(review.author)

    response = client.post(
        reverse("catalog:review_edit", args=[review.pk]), {"rating": "9", "text": "x"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    review.refresh_from_db()
    assert (review.rating, review.text) == (5, "My own words here.")


# ---------------------------------------------------------------- helpful and report


def test_helpful_counts_once_and_shows_on_the_page(client, django_capture_on_commit_callbacks):
    review = ReviewFactory()
    reader = UserFactory()
    client.force_login(reader)
    url = reverse("catalog:review_helpful", args=[review.pk])
    back = product_url(review.product)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"next": back})
        second = client.post(url, {"next": back})

    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert first["Location"] == back
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert ReviewVote.objects.filter(user=reader).count() == 1
    page = client.get(back).content.decode()
    assert '<span class="review__helpful-count">(1)</span>' in page


def test_helpful_goes_nowhere_else_than_this_site(client):
    review = ReviewFactory()
    client.force_login(UserFactory())

    response = client.post(
        reverse("catalog:review_helpful", args=[review.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == f"{product_url(review.product)}#review-{review.pk}"


def test_a_visitor_voting_is_sent_to_log_in_and_nothing_counts(client):
    review = ReviewFactory()

    response = client.post(reverse("catalog:review_helpful", args=[review.pk]))

    assert "/accounts/login/" in response["Location"]
    review.refresh_from_db()
    assert review.helpful_count == 0


def test_the_page_forms_carry_each_visitors_own_csrf_token(client):
    from django.test import Client

    review = ReviewFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())

    page = browser.get(product_url(review.product)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
    response = browser.post(
        reverse("catalog:review_helpful", args=[review.pk]), {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == HTTPStatus.FOUND
    review.refresh_from_db()
    assert review.helpful_count == 1


def test_a_reader_reports_a_review_once(client):
    review = ReviewFactory()
    client.force_login(UserFactory())
    url = reverse("catalog:review_report", args=[review.pk])

    form = client.get(url).content.decode()
    first = client.post(url, {"reason": "offensive"})
    second = client.post(url, {"reason": "spam"})

    assert 'value="offensive"' in form
    assert first.status_code == HTTPStatus.FOUND
    assert second.status_code == HTTPStatus.BAD_REQUEST
    assert "already reported this review" in second.content.decode()
    assert list(ReviewReport.objects.values_list("reason", flat=True)) == ["offensive"]


def test_a_report_with_an_unknown_reason_is_a_400(client):
    review = ReviewFactory()
    client.force_login(UserFactory())

    response = client.post(reverse("catalog:review_report", args=[review.pk]), {"reason": "x"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not ReviewReport.objects.exists()


# ---------------------------------------------------------------- the workspace


def workspace_reviews(cooperative) -> str:
    return reverse("workspace:reviews", args=[cooperative.pk])


def reply_url(review) -> str:
    return reverse("workspace:review_reply", args=[review.cooperative_id, review.pk])


@pytest.mark.parametrize("role", MembershipRole.values)
def test_every_member_lists_the_reviews_and_replies_once(client, role):
    review = ReviewFactory(text="Where can I buy the matching cushion?")
    client.force_login(MembershipFactory(cooperative=review.cooperative, role=role).user)

    listing = client.get(workspace_reviews(review.cooperative)).content.decode()
    first = client.post(reply_url(review), {"text": "Thank you! Ask us by mail."})
    second = client.post(reply_url(review), {"text": "A second reply."})

    assert "Where can I buy the matching cushion?" in listing
    assert reply_url(review) in listing
    assert first.status_code == HTTPStatus.FOUND
    assert second.status_code == HTTPStatus.BAD_REQUEST
    assert "already replied" in second.content.decode()
    review.refresh_from_db()
    assert review.reply == "Thank you! Ask us by mail."
    assert (
        reply_url(review) not in client.get(workspace_reviews(review.cooperative)).content.decode()
    )


def test_an_empty_reply_is_a_400(client):
    review = ReviewFactory()
    client.force_login(MembershipFactory(cooperative=review.cooperative).user)

    response = client.post(reply_url(review), {"text": " "})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    review.refresh_from_db()
    assert review.reply == ""


def test_another_cooperatives_review_is_a_404(client):
    theirs = ReviewFactory()
    ours = MembershipFactory()
    client.force_login(ours.user)

    response = client.post(
        reverse("workspace:review_reply", args=[ours.cooperative_id, theirs.pk]),
        {"text": "Not our review."},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    theirs.refresh_from_db()
    assert theirs.reply == ""


@pytest.mark.parametrize("count", [1, 30])
def test_workspace_reviews_queries_do_not_grow(client, django_assert_num_queries, count):
    cooperative = CooperativeFactory()
    product = ProductFactory(cooperative=cooperative)
    reviews_of(product, count)
    client.force_login(MembershipFactory(cooperative=cooperative).user)

    # Session, user, memberships; the figures, the unanswered count, the page count, the page
    # of reviews with their products, their photos.
    with django_assert_num_queries(8):
        response = client.get(workspace_reviews(cooperative))

    assert response.content.decode().count('class="review"') == min(count, 20)
