"""The demo's reviews: in Arabic, French and English, on delivered orders, with a reply."""

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Review, ReviewPhoto, ReviewStatus
from marketplace.demo.seeding import artisan_cooperative

# default_rates: the demo's orders are paid in EUR and USD (a transactional test run before
# on this worker may have flushed the rates).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "default_rates")]


def seed(*args: str) -> None:
    call_command("seed_demo", *args, stdout=StringIO())


def test_the_demo_has_reviews_in_three_languages_and_a_reply(media_root):
    seed("--products", "40", "--cooperatives", "4")

    reviews = Review.objects.select_related("order_line__shipment__order")
    assert {review.language for review in reviews} == {"ar", "fr", "en"}
    assert all(review.status == ReviewStatus.PUBLISHED for review in reviews)
    for review in reviews:
        order = review.order_line.shipment.order
        assert order.user_id == review.author_id
        assert review.order_line.shipment.status == "delivered"
        assert review.created_at > review.order_line.shipment.delivered_at
    artisan = artisan_cooperative()
    assert artisan.reviews.count() == 3
    replied = Review.objects.exclude(reply="").get()
    assert replied.cooperative == artisan
    assert replied.replied_at > replied.created_at
    assert Review.objects.exclude(cooperative=artisan).count() >= 3
    photo = ReviewPhoto.objects.get()
    assert (media_root / photo.thumbnail.name).is_file()

    seed("--reset", "--products", "4", "--cooperatives", "1")

    assert not Review.objects.filter(pk=replied.pk).exists()
    assert not (media_root / photo.thumbnail.name).exists()
