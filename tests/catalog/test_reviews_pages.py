"""Reviews on the pages: the product and cooperative pages, the buyer's order page and review
form, the helpful and report buttons, and the workspace's reviews with their replies."""

import ast
import inspect
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.http import QueryDict
from django.template.base import TokenType
from django.template.loader import get_template
from django.templatetags.i18n import BlockTranslateNode
from django.urls import reverse
from django.utils import timezone

from artisans import images
from artisans.browsing import listings_version
from artisans.models import CooperativeStatus, MembershipRole
from catalog.models import Review, ReviewPhoto, ReviewReport, ReviewStatus, ReviewVote
from catalog.reviews import (
    ReviewsChoice,
    hide_review,
    reply_to_review,
    reviews_choice,
    submit_review,
)
from catalog.views import PHOTO_ERRORS
from tests.catalog.review_helpers import delivered_line
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ReviewFactory,
    UserFactory,
)
from tests.images import encoded, files_under, not_an_image, oversized_png, photo, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def product_url(product) -> str:
    return reverse("catalog:product_detail", args=[product.slug])


def cooperative_url(cooperative) -> str:
    return reverse("artisans:cooperative_detail", args=[cooperative.slug])


def reviews_of(product, count: int, **fields) -> list[Review]:
    return [
        ReviewFactory(
            order_line__product=product,
            order_line__shipment__cooperative=product.cooperative,
            **fields,
        )
        for _ in range(count)
    ]


def newest_first(reviews: list[Review]) -> list[Review]:
    """Date the reviews a day apart, the first the newest; return them in that order."""
    for days, review in enumerate(reviews):
        Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=days))
    return reviews


def shown(reviews: list[Review], page: str) -> list[int]:
    """The reviews on the page, in the page's order."""
    found = [
        (page.index(f'id="review-{r.pk}"'), r.pk) for r in reviews if f'id="review-{r.pk}"' in page
    ]
    return [pk for _, pk in sorted(found)]


def review_item(page: str, review: Review) -> str:
    """The markup of one review on a page, up to the next one or the list's end."""
    start = page.index(f'id="review-{review.pk}"')
    ends = [page.find(mark, start + 1) for mark in ('<li class="review"', "</ol>")]
    return page[start : min(end for end in ends if end != -1)]


def helpful_count(page: str, review: Review) -> str:
    found = re.search(r'review__helpful-count">\((\d+)\)', review_item(page, review))
    return found.group(1) if found else "0"


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
    assert "Reply from" in page
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
    reviews = newest_first(reviews_of(product, 12))
    for votes, review in enumerate(reviews):
        Review.objects.filter(pk=review.pk).update(helpful_count=votes)
    url = product_url(product)

    newest = client.get(url).content.decode()
    helpful = client.get(url, {"reviews_sort": "helpful"}).content.decode()
    second = client.get(url, {"reviews_page": "2"}).content.decode()

    assert shown(reviews, newest) == [r.pk for r in reviews[:10]]
    assert shown(reviews, helpful) == [r.pk for r in reversed(reviews[2:])]
    assert shown(reviews, second) == [reviews[10].pk, reviews[11].pk]
    assert "Page 2 of 2" in second
    assert f"{url}?reviews_page=2#reviews" in newest
    assert f"{url}?reviews_sort=helpful&amp;reviews_page=2#reviews" in helpful


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ({"reviews_sort": "<b>"}, "first"),
        ({"reviews_sort": "x" * 10_000}, "first"),
        ({"reviews_page": "abc"}, "first"),
        ({"reviews_page": ""}, "first"),
        ({"reviews_page": "99999"}, "last"),
        ({"reviews_page": "9" * 10_000}, "last"),
        ({"reviews_page": "-1"}, "last"),  # as the catalog's pages: Paginator.get_page
        ({"reviews_page": "0"}, "last"),
    ],
)
def test_a_bad_reviews_sort_or_page_shows_the_newest_first_or_last_page(client, query, page):
    product = ProductFactory()
    reviews = newest_first(reviews_of(product, 12))

    response = client.get(product_url(product), query)

    assert response.status_code == HTTPStatus.OK
    expected = reviews[:10] if page == "first" else reviews[10:]
    assert shown(reviews, response.content.decode()) == [r.pk for r in expected]


def test_the_cooperative_page_reads_the_reviews_sort_and_page_the_same_way(client):
    product = ProductFactory()
    reviews = newest_first(reviews_of(product, 12))
    Review.objects.filter(pk=reviews[11].pk).update(helpful_count=3)
    url = cooperative_url(product.cooperative)

    helpful = client.get(url, {"reviews_sort": "helpful"}).content.decode()
    unknown = client.get(url, {"reviews_sort": "oldest", "reviews_page": "abc"}).content.decode()
    past_the_end = client.get(url, {"reviews_page": "99999"}).content.decode()

    assert shown(reviews, helpful)[0] == reviews[11].pk
    assert shown(reviews, unknown) == [r.pk for r in reviews[:10]]
    assert shown(reviews, past_the_end) == [reviews[10].pk, reviews[11].pk]
    assert "Page 2 of 2" in past_the_end


@pytest.mark.parametrize(
    ("query", "choice"),
    [
        ({}, ReviewsChoice(sort="newest", number=1)),
        ({"reviews_sort": "helpful", "reviews_page": "3"}, ReviewsChoice("helpful", 3)),
        ({"reviews_sort": "HELPFUL", "reviews_page": "abc"}, ReviewsChoice("newest", 1)),
        ({"reviews_page": "-1"}, ReviewsChoice("newest", -1)),
        ({"reviews_page": "9" * 10_000}, ReviewsChoice("newest", 9_999_999)),
    ],
)
def test_reviews_choice_reads_a_known_sort_and_a_bounded_page_number(query, choice):
    data = QueryDict(mutable=True)
    data.update(query)

    assert reviews_choice(data) == choice


def test_a_page_asked_for_in_another_spelling_is_the_same_cached_section(
    client, django_assert_num_queries
):
    product = ProductFactory()
    reviews_of(product, 3)
    url = product_url(product)
    client.force_login(UserFactory())
    client.get(url, {"reviews_page": "1"})

    # Session, user, is it visible: "abc" is page 1, the section is the one cached.
    with django_assert_num_queries(3):
        response = client.get(url, {"reviews_page": "abc", "reviews_sort": "nonsense"})

    assert response.content.decode().count('class="review"') == 3


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


@pytest.mark.parametrize("count", [1, 30])
def test_a_vote_renews_the_reviews_section_of_its_product_and_cooperative_only(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, count
):
    product = ProductFactory()
    voted = reviews_of(product, count)[-1]  # the newest: on the first page
    other = ReviewFactory()  # another product, another cooperative
    urls = [product_url(product), cooperative_url(product.cooperative), product_url(other.product)]
    for url in urls:  # every fragment and visitors' whole pages in the cache
        client.get(url)
    version = listings_version()
    client.force_login(UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:review_helpful", args=[voted.pk]))
    # Session, user, is it visible; the product from the cache, its reviews section read
    # again: the figures, the page of reviews, their photos.
    with django_assert_num_queries(6):
        product_page = client.get(response["Location"])
    # Session, user, is it verified; the cooperative and its pieces from the cache, its
    # reviews section read again.
    with django_assert_num_queries(6):
        cooperative_page = client.get(urls[1])
    with django_assert_num_queries(3):  # another product: every fragment still cached
        other_page = client.get(urls[2])
    client.logout()
    with django_assert_num_queries(0):  # a visitor's whole page of it: still cached
        client.get(urls[2])

    assert listings_version() == version
    assert helpful_count(product_page.content.decode(), voted) == "1"
    assert helpful_count(cooperative_page.content.decode(), voted) == "1"
    assert other_page.content.decode().count('class="review"') == 1
    voted.refresh_from_db()
    assert voted.helpful_count == 1


def test_a_report_renews_no_cached_page(client, django_assert_num_queries):
    review = ReviewFactory()
    url = product_url(review.product)
    client.force_login(UserFactory())
    client.get(url)

    client.post(reverse("catalog:review_report", args=[review.pk]), {"reason": "spam"})

    with django_assert_num_queries(3):  # session, user, is it visible: all else cached
        client.get(url)
    assert ReviewReport.objects.filter(review=review).count() == 1


@pytest.mark.parametrize("page_url", [product_url, lambda p: cooperative_url(p.cooperative)])
def test_hiding_a_review_shows_on_the_cached_page_at_once(
    client, django_capture_on_commit_callbacks, page_url
):
    product = ProductFactory()
    low = ReviewFactory(order_line__product=product, rating=1, text="Rude words here.")
    ReviewFactory(order_line__product=product, rating=5)
    url = page_url(product)
    assert "Rude words here." in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        hide_review(low, by=UserFactory(is_staff=True), reason="Rude.")

    page = client.get(url).content.decode()
    assert "Rude words here." not in page
    assert '<span class="review-summary__number">5.0</span>' in page
    assert "1 review from verified buyers" in page
    assert "100% satisfied" in page


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


def blocktranslations(name: str) -> dict[str, bool]:
    """Each {% blocktranslate %} of a template, "{var}" for its variables: has it a plural?"""
    nodes = get_template(name).template.nodelist.get_nodes_by_type(BlockTranslateNode)
    return {
        "".join(
            f"{{{token.contents}}}" if token.token_type == TokenType.VAR else token.contents
            for token in node.singular
        ): bool(node.plural)
        for node in nodes
    }


def test_the_reviews_figures_with_a_number_have_plural_forms():
    texts = blocktranslations("catalog/_reviews.html")

    assert texts["Page {number} of {pages}"]
    assert texts["{rate}% satisfied"]
    assert texts["{counter} review from verified buyers"]
    assert texts["{stars} star"]


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
    client.force_login(UserFactory())
    with django_assert_num_queries(3):  # session, user, is it verified; fragments cached
        signed_in = client.get(url)

    page = warm.content.decode()
    for response in (cold, warm, signed_in):
        assert response.content.decode().count('class="review"') == min(count, 10)
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


def test_photos_sent_with_a_mistake_elsewhere_are_asked_for_again(client, media_root):
    line = delivered_line()
    client.force_login(line.shipment.order.user)

    response = client.post(
        reverse("catalog:review_create", args=[line.pk]),
        {"rating": "", "text": "A fine carpet indeed.", "photos": [photo()]},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    beside = page[page.index('id="id_photos_error"') :]
    assert "Your photos were not kept: choose them again" in beside[: beside.index("</ul>")]
    assert not Review.objects.exists()
    assert files_under(media_root) == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (not_an_image(), "not a JPEG, PNG or WebP image"),
        (upload(encoded("JPEG")[:1000], "cut.jpg"), "cut.jpg"),  # corrupt past its header
        (upload(oversized_png(20_000, 20_000, rows=False), "bomb.png"), "bomb.png"),
    ],
)
def test_a_refused_photo_is_said_beside_the_photo_field(client, media_root, upload, message):
    line = delivered_line()
    client.force_login(line.shipment.order.user)

    response = client.post(
        reverse("catalog:review_create", args=[line.pk]),
        {"rating": "5", "text": "A fine carpet indeed.", "photos": [upload]},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    beside = page[page.index('id="id_photos_error"') :]
    assert message in beside[: beside.index("</ul>")]
    assert 'class="form-errors"' not in page  # not above the form
    assert not Review.objects.exists()
    assert files_under(media_root) == []


def test_every_refusal_of_the_image_checks_is_a_photo_error():
    source = inspect.getsource(images)
    raised = {
        keyword.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
    }

    assert raised
    assert raised <= images.IMAGE_ERROR_CODES <= PHOTO_ERRORS


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


@pytest.mark.parametrize(
    ("query", "tab"),
    [
        ("?page=2", "all"),
        ("", "all"),  # a form from a page since pushed further: its review's page still
        ("?tab=unanswered&page=2", "unanswered"),
    ],
)
def test_a_refused_reply_shows_beside_its_review_on_its_page_with_the_text(client, query, tab):
    product = ProductFactory()
    reviews = newest_first(reviews_of(product, 25))
    ours = reviews[22]  # on the second page of 20
    client.force_login(MembershipFactory(cooperative=product.cooperative).user)

    response = client.post(reply_url(ours) + query, {"text": "x"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert shown(reviews, page) == [r.pk for r in reviews[20:]]
    assert f'href="?tab={tab}" aria-current="page"' in page
    item = review_item(page, ours)
    assert 'aria-invalid="true"' in item
    assert "at least 2 characters" in item
    assert ">\nx</textarea>" in item
    assert page.count('aria-invalid="true"') == 1
    assert (
        f'action="{reply_url(ours)}?{"tab=unanswered&amp;" if tab != "all" else ""}page=2' in item
    )
    ours.refresh_from_db()
    assert ours.reply == ""


def test_a_reply_refused_as_a_colleague_replied_first_says_so_beside_the_review(client):
    review = ReviewFactory()
    membership = MembershipFactory(cooperative=review.cooperative)
    client.force_login(MembershipFactory(cooperative=review.cooperative).user)
    reply_to_review(
        review, cooperative=review.cooperative, by=membership.user, text="Thank you, Claire."
    )

    response = client.post(reply_url(review), {"text": "Thanks a lot!"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    item = review_item(response.content.decode(), review)
    assert "Thank you, Claire." in item
    assert "already replied" in item
    review.refresh_from_db()
    assert review.reply == "Thank you, Claire."


def test_a_reply_comes_back_to_its_tab_and_page(client):
    product = ProductFactory()
    reviews = newest_first(reviews_of(product, 25))
    client.force_login(MembershipFactory(cooperative=product.cooperative).user)

    response = client.post(
        reply_url(reviews[22]) + "?tab=unanswered&page=2&next=https://evil.example/",
        {"text": "Thank you for your words."},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == (
        f"{workspace_reviews(product.cooperative)}?tab=unanswered&page=2#review-{reviews[22].pk}"
    )
    reviews[22].refresh_from_db()
    assert reviews[22].reply == "Thank you for your words."


def test_the_workspace_shows_each_review_as_buyers_see_it_with_the_reply_form(client):
    replied = ReviewFactory(text="Lovely colours.", reply="Thank you!", replied_at=timezone.now())
    waiting = ReviewFactory(
        order_line__product__cooperative=replied.cooperative, text="Is it washable?"
    )
    client.force_login(MembershipFactory(cooperative=replied.cooperative).user)

    page = client.get(workspace_reviews(replied.cooperative)).content.decode()

    assert "Your reply," in review_item(page, replied)
    assert "Thank you!" in review_item(page, replied)
    assert reply_url(replied) not in page
    assert reply_url(waiting) in review_item(page, waiting)
    assert f'for="reply-{waiting.pk}-text"' in page
    assert "Verified purchase" in page
    assert "review__helpful" not in page  # buyers' buttons, not the cooperative's
    assert "review__report" not in page


def test_a_suspended_cooperative_reads_its_reviews_without_a_reply_form(client):
    review = ReviewFactory(text="Is it washable?")
    review.cooperative.status = CooperativeStatus.SUSPENDED
    review.cooperative.save(update_fields=["status"])
    client.force_login(MembershipFactory(cooperative=review.cooperative).user)

    response = client.get(workspace_reviews(review.cooperative))

    assert response.status_code == HTTPStatus.OK
    assert "Is it washable?" in response.content.decode()
    assert reply_url(review) not in response.content.decode()


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
