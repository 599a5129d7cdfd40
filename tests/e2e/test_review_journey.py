"""A delivered order's buyer reviews the piece, the cooperative replies, both show on the
product page: in a real browser, each person in their own browser context."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from artisans.models import MembershipRole
from catalog.images import add_product_image
from catalog.models import Review, ReviewStatus
from tests.catalog.review_helpers import delivered_line
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_checkout_journey import sign_in, take_screenshots
from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REVIEW = "Soft wool and warm colours: it is the heart of our living room now."
REPLY = "Thank you Emily! The weavers are delighted it found its home."


def new_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    return context.new_page()


def jpeg() -> ContentFile:
    buffer = BytesIO()
    image = Image.new("RGB", (900, 900), (236, 226, 208))
    for x in range(0, 900, 60):
        image.paste((120, 40, 30), (x, 0, x + 12, 900))
    image.save(buffer, "JPEG", quality=90)
    return ContentFile(buffer.getvalue(), name="carpet.jpg")


def test_a_buyer_reviews_the_cooperative_replies_and_both_show_on_the_product_page(
    browser: Browser, live_server, settings, tmp_path: Path, screenshots: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    cooperative = CooperativeFactory(name="Tifawin Weavers")
    artisan = MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER).user
    product = ProductFactory(cooperative=cooperative, title="Beni Ouarain carpet, ivory")
    add_product_image(product, jpeg(), alt_text="The carpet seen from above")
    emily = UserFactory(first_name="Emily", last_name="Carter")
    line = delivered_line(buyer=emily, product=product)
    order = line.shipment.order
    buyer, seller, visitor = (new_page(browser, live_server) for _ in range(3))
    errors: list[str] = []
    for page in (buyer, seller, visitor):
        page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(buyer, emily, live_server)
    sign_in(seller, artisan, live_server)
    too_wide: list[str] = []

    # 1. The buyer opens the delivered order and writes a review: four stars and a text.
    buyer.goto(reverse("marketplace:order_detail", args=[order.number]))
    too_wide += take_screenshots(buyer, screenshots, "order")
    buyer.get_by_role("link", name="Write a review").click()
    expect(buyer.get_by_role("heading", name="Write a review")).to_be_visible()
    buyer.locator("label.star-input__star", has_text="4 stars").click()  # the 4th star
    expect(buyer.get_by_role("radio", name="4 stars")).to_be_checked()
    buyer.get_by_label("Your review").fill(REVIEW)
    too_wide += take_screenshots(buyer, screenshots, "review-form")
    buyer.get_by_role("button", name="Publish the review").click()
    expect(
        buyer.get_by_text("your review of “Beni Ouarain carpet, ivory” is published")
    ).to_be_visible()
    expect(buyer.get_by_text("Reviewed", exact=True)).to_be_visible()
    review = Review.objects.get()
    assert (review.order_line_id, review.author, review.rating, review.text) == (
        line.pk,
        emily,
        4,
        REVIEW,
    )
    assert review.status == ReviewStatus.PUBLISHED
    # The edit page, in Arabic: the stars read from the right, four of them chosen.
    buyer.goto(f"/ar/reviews/{review.pk}/edit/")
    expect(buyer.locator("input[name=rating][value='4']")).to_be_checked()
    too_wide += take_screenshots(buyer, screenshots, "review-edit-ar")

    # 2. A member of the cooperative replies from the workspace's Reviews page.
    seller.goto(reverse("workspace:dashboard", args=[cooperative.pk]))
    seller.get_by_role("link", name="Reviews", exact=True).click()
    expect(seller.get_by_text(REVIEW)).to_be_visible()
    seller.get_by_label("Your reply").fill(REPLY)
    too_wide += take_screenshots(seller, screenshots, "workspace-reviews")
    seller.get_by_role("button", name="Publish the reply").click()
    expect(seller.get_by_text("Your reply is published under the review.")).to_be_visible()
    expect(seller.get_by_role("button", name="Publish the reply")).to_have_count(0)
    review.refresh_from_db()
    assert (review.reply, review.replied_by) == (REPLY, artisan)

    # 3. A visitor (the cached page for everyone) sees both on the product page.
    visitor.goto(reverse("catalog:product_detail", args=[product.slug]))
    reviews = visitor.locator("#reviews")
    expect(reviews.get_by_text(REVIEW)).to_be_visible()
    expect(reviews.get_by_text(REPLY)).to_be_visible()
    expect(reviews.get_by_text("Emily C.")).to_be_visible()
    expect(reviews.get_by_role("img", name="4 out of 5 stars").first).to_be_visible()
    expect(reviews.get_by_text("1 review from verified buyers")).to_be_visible()
    too_wide += take_screenshots(visitor, screenshots, "product")
    visitor.goto(f"/ar/products/{product.slug}/")
    expect(visitor.locator("#reviews").get_by_text(REPLY)).to_be_visible()
    too_wide += take_screenshots(visitor, screenshots, "product-ar")

    # 4. The buyer finds the review helpful? Not their own: another reader does.
    reader = new_page(browser, live_server)
    sign_in(reader, UserFactory(), live_server)
    reader.goto(reverse("catalog:product_detail", args=[product.slug]))
    reader.locator("#reviews").get_by_role("button", name="Helpful").click()
    expect(reader.get_by_text("Thank you: your vote is counted.")).to_be_visible()
    review.refresh_from_db()
    assert review.helpful_count == 1

    assert errors == []
    assert too_wide == [], "pages scroll sideways on a 375 px phone"
