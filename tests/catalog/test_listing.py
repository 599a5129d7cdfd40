from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from artisans.models import CooperativeStatus
from catalog import listing
from catalog.listing import PHOTOS, ProductDetails, ProductKind, status_after_change
from catalog.models import HSCodeLevel, Product, ProductImage, ProductStatus
from tests.factories import (
    CooperativeFactory,
    CraftFactory,
    HSCodeFactory,
    ProductFactory,
    ProductImageFactory,
)
from tests.images import files_under, photo, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def update(product: Product, **kwargs) -> bool:
    """Save changes as the edit page does, having seen the product as it is stored."""
    seen_at = Product.objects.get(pk=product.pk).updated_at.isoformat()
    return listing.update_product(product, seen_at=seen_at, **kwargs)


def details(**overrides) -> ProductDetails:
    craft = overrides.pop("craft", None) or CraftFactory()
    fields = {
        "title": "Beni Ouarain carpet",
        "description": "Hand-knotted by the women of the cooperative.",
        "materials": "wool",
        "dimensions": "200 × 150 cm",
        "weight_grams": 8000,
        "price": Decimal("4500.00"),
        "craft": craft,
        "hs_code": craft.hs_code,
        "kind": ProductKind.ONE_OF_A_KIND,
    }
    return ProductDetails(**{**fields, **overrides})


def details_of(product: Product, **overrides) -> ProductDetails:
    """The details the edit form would send back for the product, with overrides."""
    fields = {
        "title": product.title,
        "description": product.description,
        "materials": product.materials,
        "dimensions": product.dimensions,
        "weight_grams": product.weight_grams,
        "price": product.price,
        "craft": product.craft,
        "hs_code": product.hs_code,
        "kind": listing.kind_of(product),
        "quantity": product.stock,
        "lead_time_days": product.lead_time_days,
    }
    return ProductDetails(**{**fields, **overrides})


def other_subheading():
    return HSCodeFactory(code="570190", description_en="Carpets; knotted, of other textiles")


def ready_product(**fields) -> Product:
    """A product with all approval needs: HS subheading, weight, a photo."""
    product = ProductFactory(**fields)
    ProductImageFactory(product=product)
    return product


# --- the review rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "changed", "expected"),
    [
        (ProductStatus.PUBLISHED, {"price", "title", "description", "stock"}, "published"),
        (ProductStatus.PUBLISHED, {"materials", "dimensions", "weight_grams"}, "published"),
        (ProductStatus.PUBLISHED, {"made_to_order", "lead_time_days"}, "published"),
        (ProductStatus.PUBLISHED, set(), "published"),
        (ProductStatus.PUBLISHED, {"price", "hs_code"}, "pending"),
        (ProductStatus.PUBLISHED, {"craft"}, "pending"),
        (ProductStatus.PUBLISHED, {PHOTOS}, "pending"),
        (ProductStatus.REJECTED, {"hs_code", PHOTOS, "price"}, "rejected"),
        (ProductStatus.DRAFT, {"hs_code", PHOTOS}, "draft"),
        (ProductStatus.PENDING, {"hs_code", PHOTOS}, "pending"),
        (ProductStatus.ARCHIVED, {"hs_code", PHOTOS}, "archived"),
    ],
)
def test_status_after_change(status, changed, expected):
    assert status_after_change(status, changed) == expected


# --- create and edit ---------------------------------------------------------------------


def test_create_product_makes_a_draft_with_a_slug_from_its_title():
    cooperative = CooperativeFactory()

    product = listing.create_product(cooperative, details=details(title="Tapis Béni Ouarain"))

    stored = Product.objects.get(pk=product.pk)
    assert stored.status == ProductStatus.DRAFT
    assert stored.cooperative == cooperative
    assert stored.slug == "tapis-beni-ouarain"
    assert (stored.stock, stored.made_to_order, stored.lead_time_days) == (1, False, None)
    assert stored.search_document.startswith("tapis beni ouarain\n")


def test_a_taken_slug_gets_a_number_and_an_arabic_title_the_crafts_slug():
    cooperative = CooperativeFactory()
    ProductFactory(title="Zellige table", slug="zellige-table")
    ProductFactory(title="Other", slug="zellige-table-2")
    craft = CraftFactory()

    second = listing.create_product(cooperative, details=details(title="Zellige table"))
    arabic = listing.create_product(cooperative, details=details(title="زربية", craft=craft))
    arabic_again = listing.create_product(cooperative, details=details(title="زربية", craft=craft))

    assert second.slug == "zellige-table-3"
    assert arabic.slug == craft.slug
    assert arabic_again.slug == f"{craft.slug}-2"
    assert arabic.title == "زربية"


def test_made_to_order_keeps_its_lead_time_and_takes_no_stock():
    product = listing.create_product(
        CooperativeFactory(),
        details=details(kind=ProductKind.MADE_TO_ORDER, lead_time_days=21, quantity=5),
    )

    product.refresh_from_db()
    assert (product.made_to_order, product.lead_time_days, product.stock) == (True, 21, 0)


def test_editing_a_published_products_text_and_price_keeps_it_published():
    product = ready_product(status=ProductStatus.PUBLISHED, title="Old title")

    sent_back = update(
        product,
        details=details_of(product, title="New title", price=Decimal("5200.50"), quantity=1),
        stock_seen=1,
    )

    stored = Product.objects.get(pk=product.pk)
    assert sent_back is False
    assert stored.status == ProductStatus.PUBLISHED
    assert (stored.title, stored.price) == ("New title", Decimal("5200.50"))
    assert stored.search_document.startswith("new title\n")
    assert stored.slug == product.slug  # buyers' links keep working


def test_changing_a_published_products_hs_code_sends_it_back_to_review():
    product = ready_product(status=ProductStatus.PUBLISHED)
    new_code = other_subheading()

    sent_back = update(product, details=details_of(product, hs_code=new_code), stock_seen=1)

    stored = Product.objects.get(pk=product.pk)
    assert sent_back is True
    assert stored.status == ProductStatus.PENDING
    assert stored.hs_code == new_code
    assert not Product.objects.published().exists()


def test_changing_a_published_products_craft_sends_it_back_to_review():
    product = ready_product(status=ProductStatus.PUBLISHED)
    craft = CraftFactory(slug="hanbel", name_en="Hanbel", hs_code=product.hs_code)

    assert update(product, details=details_of(product, craft=craft), stock_seen=1)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING


def test_a_rejected_product_edited_stays_rejected_with_its_reason():
    product = ready_product(status=ProductStatus.REJECTED, rejection_reason="Blurry photo.")

    update(product, details=details_of(product, hs_code=other_subheading()), stock_seen=1)

    stored = Product.objects.get(pk=product.pk)
    assert (stored.status, stored.rejection_reason) == (ProductStatus.REJECTED, "Blurry photo.")


def test_saving_an_unchanged_quantity_does_not_undo_a_sale_made_meanwhile():
    product = ProductFactory(stock=3)
    Product.objects.filter(pk=product.pk).update(stock=2)  # a buyer took one

    update(
        product,
        details=details_of(product, kind=ProductKind.IN_STOCK, quantity=3, title="Renamed"),
        stock_seen=3,
    )

    stored = Product.objects.get(pk=product.pk)
    assert (stored.stock, stored.title) == (2, "Renamed")


def test_another_members_save_since_the_page_was_shown_is_not_overwritten():
    product = ProductFactory(stock=3, title="Old title", price=Decimal("100.00"))
    seen_at = product.updated_at.isoformat()
    product.price = Decimal("200.00")  # another member saves a new price meanwhile
    product.save()

    with pytest.raises(ValidationError) as raised:
        listing.update_product(
            product,
            details=details_of(product, title="New", price=Decimal("100.00"), quantity=3),
            stock_seen=3,
            seen_at=seen_at,
        )

    assert raised.value.code == "changed_meanwhile"
    stored = Product.objects.get(pk=product.pk)
    assert (stored.title, stored.price) == ("Old title", Decimal("200.00"))


def test_a_new_quantity_over_a_sale_made_meanwhile_is_refused_and_nothing_saved():
    product = ProductFactory(stock=3, title="Old title")
    Product.objects.filter(pk=product.pk).update(stock=2)

    with pytest.raises(ValidationError) as raised:
        update(
            product,
            details=details_of(product, kind=ProductKind.IN_STOCK, quantity=10, title="New"),
            stock_seen=3,
        )

    assert raised.value.code == "stock_changed"
    assert "2 left" in raised.value.messages[0]
    stored = Product.objects.get(pk=product.pk)
    assert (stored.stock, stored.title) == (2, "Old title")


def test_switching_from_made_to_order_to_one_of_a_kind_clears_the_lead_time():
    product = ProductFactory(made_to_order=True, lead_time_days=30, stock=0)

    update(product, details=details_of(product, kind=ProductKind.ONE_OF_A_KIND), stock_seen=0)

    stored = Product.objects.get(pk=product.pk)
    assert (stored.made_to_order, stored.lead_time_days, stored.stock) == (False, None, 1)


# --- submit, archive, restore -------------------------------------------------------------


def test_submitting_a_ready_draft_puts_it_in_the_moderation_queue():
    product = ready_product(status=ProductStatus.DRAFT)

    assert listing.submit_for_review(product) is True

    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING
    assert product.status == ProductStatus.PENDING
    # A second click changes nothing and raises nothing.
    assert listing.submit_for_review(product) is False


def test_a_cooperative_pending_verification_cannot_submit():
    product = ready_product(
        status=ProductStatus.DRAFT, cooperative__status=CooperativeStatus.PENDING
    )

    with pytest.raises(ValidationError) as raised:
        listing.submit_for_review(product)

    assert raised.value.code == "cooperative_not_verified"
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


def test_submitting_lists_everything_the_product_misses():
    heading = HSCodeFactory(code="5701", level=HSCodeLevel.HEADING)
    product = ProductFactory(status=ProductStatus.DRAFT, weight_grams=None, hs_code=heading)

    with pytest.raises(ValidationError) as raised:
        listing.submit_for_review(product)

    codes = {error.code for error in raised.value.error_list}
    assert codes == {"hs_code_required", "weight_required", "photo_required"}
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


def test_a_rejected_product_is_resubmitted_to_pending():
    product = ready_product(status=ProductStatus.REJECTED, rejection_reason="Add the size.")

    assert listing.submit_for_review(product)

    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING


@pytest.mark.parametrize("status", [ProductStatus.PUBLISHED, ProductStatus.ARCHIVED])
def test_a_published_or_archived_product_cannot_be_submitted(status):
    product = ready_product(status=status)

    with pytest.raises(ValidationError) as raised:
        listing.submit_for_review(product)

    assert raised.value.code == "not_submittable"
    assert Product.objects.get(pk=product.pk).status == status


@pytest.mark.parametrize("status", [s for s in ProductStatus.values if s != "archived"])
def test_archive_takes_any_product_out_and_restore_brings_it_back_as_a_draft(status):
    product = ProductFactory(status=status)

    assert listing.archive_product(product) is True
    assert listing.archive_product(product) is False  # a double click
    assert Product.objects.get(pk=product.pk).status == ProductStatus.ARCHIVED
    assert not Product.objects.published().exists()

    assert listing.restore_product(product) is True
    assert listing.restore_product(product) is False
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


# --- photos ------------------------------------------------------------------------------


def test_add_photos_keeps_the_good_files_and_names_the_bad_one(media_root):
    product = ProductFactory(status=ProductStatus.DRAFT)
    bad = upload(b"not an image at all", "notes.jpg")

    result = listing.add_photos(product, [photo("front.jpg"), bad, photo("back.jpg")])

    assert len(result.added) == 2
    [(name, reasons)] = result.refused
    assert name == "notes.jpg"
    assert "not a JPEG, PNG or WebP" in reasons[0]
    assert list(product.images.values_list("position", flat=True)) == [0, 1]
    assert len(files_under(media_root)) == 6  # original, card and thumbnail of each
    assert result.sent_back_to_review is False


def test_adding_a_photo_to_a_published_product_sends_it_back_to_review():
    product = ready_product(status=ProductStatus.PUBLISHED)

    result = listing.add_photos(product, [photo()])

    assert result.sent_back_to_review is True
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING


def test_more_photos_than_the_room_left_are_all_refused(media_root):
    product = ProductFactory()
    for _ in range(listing.MAX_PRODUCT_PHOTOS - 1):
        ProductImageFactory(product=product)

    with pytest.raises(ValidationError) as raised:
        listing.add_photos(product, [photo(), photo()])

    assert raised.value.code == "too_many_photos"
    assert product.images.count() == listing.MAX_PRODUCT_PHOTOS - 1
    assert files_under(media_root) == []


def test_deleting_a_photo_removes_its_files_and_sends_a_published_product_back(
    media_root, django_capture_on_commit_callbacks
):
    product = ProductFactory(status=ProductStatus.PUBLISHED)
    [kept, deleted] = listing.add_photos(product, [photo(), photo()]).added
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.PUBLISHED)

    with django_capture_on_commit_callbacks(execute=True):
        sent_back = listing.delete_photo(deleted)

    assert sent_back is True
    assert list(product.images.all()) == [kept]
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING
    assert {path.name for path in files_under(media_root)} == {Path(kept.image.name).name}
    assert len(files_under(media_root)) == 3


def test_moving_a_photo_swaps_it_with_its_neighbour_and_keeps_the_status():
    product = ProductFactory(status=ProductStatus.PUBLISHED)
    first, second, third = (ProductImageFactory(product=product, position=0) for _ in range(3))

    assert listing.move_photo(third, later=False) is True
    assert list(product.images.order_by("position")) == [first, third, second]
    assert listing.move_photo(first, later=False) is False  # the cover cannot go earlier
    assert listing.move_photo(second, later=True) is False  # the last cannot go later
    assert listing.move_photo(first, later=True) is True

    assert list(product.images.order_by("position")) == [third, first, second]
    assert sorted(product.images.values_list("position", flat=True)) == [0, 1, 2]
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PUBLISHED


def test_alt_text_is_saved_trimmed_and_keeps_the_status():
    image = ProductImageFactory(product__status=ProductStatus.PUBLISHED)

    listing.set_alt_text(image, "  The carpet seen from above " + "x" * 300)

    stored = ProductImage.objects.get(pk=image.pk)
    assert stored.alt_text.startswith("The carpet seen from above x")
    assert len(stored.alt_text) == 200
    assert stored.product.status == ProductStatus.PUBLISHED
