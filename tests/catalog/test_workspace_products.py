"""The workspace's product pages, driven through the test client as a member would."""

import json
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from artisans.browsing import listings_version
from artisans.models import CooperativeStatus, MembershipRole
from catalog.models import Craft, HSCode, HSCodeLevel, Product, ProductImage, ProductStatus
from tests.factories import (
    CooperativeFactory,
    CraftBranchFactory,
    CraftFactory,
    HSCodeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
)
from tests.images import encoded, files_under, photo, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def cooperative(db):
    return CooperativeFactory(name="Cooperative Tifawin")


@pytest.fixture
def seller(client, cooperative):
    """A plain member of the cooperative, signed in."""
    user = MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER).user
    client.force_login(user)
    return user


@pytest.fixture
def craft(db):
    return CraftFactory()


def url(name: str, cooperative, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"workspace:{name}", args=[cooperative.pk, *args])


def form_data(craft, /, **overrides) -> dict:
    data = {
        "title": "Beni Ouarain carpet",
        "craft": craft.pk,
        "hs_code": "5701.10",
        "price": "4500",
        "weight_grams": "8000",
        "kind": "one_of_a_kind",
        "quantity": "",
        "lead_time_days": "",
        "description": "Hand-knotted wool.",
        "materials": "wool",
        "dimensions": "200 × 150 cm",
    }
    return {**data, **overrides}


def edit_data(product: Product, **overrides) -> dict:
    """What the edit page posts back unchanged for the product, with overrides."""
    shown = {
        "title": product.title,
        "hs_code": product.hs_code.dotted_code,
        "price": str(product.price),
        "weight_grams": str(product.weight_grams),
        "stock_seen": str(product.stock),
        "seen_at": Product.objects.get(pk=product.pk).updated_at.isoformat(),
    }
    return form_data(product.craft, **{**shown, **overrides})


def page(response) -> str:
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_each_product_with_its_status_and_the_rejection_reason(
    client, seller, cooperative
):
    ProductFactory(cooperative=cooperative, title="Blue Fes bowl", status=ProductStatus.DRAFT)
    rejected = ProductFactory(
        cooperative=cooperative,
        title="Zellige table",
        status=ProductStatus.REJECTED,
        rejection_reason="The photo shows another table.",
    )
    ProductImageFactory(product=rejected)
    ProductFactory(cooperative=cooperative, made_to_order=True, lead_time_days=20)
    ProductFactory(title="Someone else's carpet")  # another cooperative's

    response = client.get(url("product_list", cooperative))

    html = page(response)
    assert response.status_code == HTTPStatus.OK
    assert "Blue Fes bowl" in html
    assert "Zellige table" in html
    assert "Someone else" not in html
    assert 'class="badge badge--rejected"' in html
    assert 'class="badge badge--draft"' in html
    assert "The photo shows another table." in html
    assert "Made to order, 20 days" in html
    assert "4,500.00" in html
    assert rejected.images.get().thumbnail.url in html


def test_the_tabs_count_each_status_and_filter_the_list(client, seller, cooperative):
    for status, count in [("draft", 2), ("published", 3), ("rejected", 1)]:
        for number in range(count):
            ProductFactory(cooperative=cooperative, status=status, title=f"A {status} {number}")

    response = client.get(url("product_list", cooperative), {"status": "published"})

    tabs = response.context["tabs"]
    assert {value: count for value, _label, count in tabs} == {
        "all": 6,
        "draft": 2,
        "pending": 0,
        "published": 3,
        "rejected": 1,
        "archived": 0,
    }
    assert {product.status for product in response.context["page_obj"]} == {"published"}
    assert "A draft 0" not in page(response)


def test_an_unknown_tab_shows_all(client, seller, cooperative):
    ProductFactory(cooperative=cooperative)

    response = client.get(url("product_list", cooperative), {"status": "<script>"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["tab"] == "all"


def test_an_empty_list_invites_the_first_product(client, seller, cooperative):
    response = client.get(url("product_list", cooperative))

    assert "Add your first product" in page(response)
    assert url("product_create", cooperative) in page(response)


def test_the_list_pages_by_twenty(client, seller, cooperative):
    ProductFactory.create_batch(21, cooperative=cooperative)

    first = client.get(url("product_list", cooperative))
    second = client.get(url("product_list", cooperative), {"page": "2"})

    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 1
    assert "?page=2" in page(first)


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_runs_the_same_queries_for_1_and_30_products(
    client, seller, cooperative, django_assert_num_queries, rows
):
    for _ in range(rows):
        ProductImageFactory(product=ProductFactory(cooperative=cooperative))

    # session, user, memberships, status counts, page count, products, their photos
    with django_assert_num_queries(7):
        response = client.get(url("product_list", cooperative))

    assert response.status_code == HTTPStatus.OK


# --- create --------------------------------------------------------------------------------


def test_the_create_page_groups_crafts_by_branch_and_carries_their_usual_codes(
    client, seller, cooperative, reference_data
):
    response = client.get(url("product_create", cooperative, language="fr"))

    html = page(response)
    assert response.status_code == HTTPStatus.OK
    assert html.count("<optgroup ") == 13
    # Branches and crafts in the page's language, each craft under its branch.
    assert html.index('<optgroup label="Textile et tapis">') < html.index("Tapis noués")
    assert html.index("Tapis noués") < html.index('<optgroup label="Poterie et céramique">')
    codes = json.loads(html.split('id="craft-hs-codes" type="application/json">')[1].split("<")[0])
    knotted = Craft.objects.get(slug="knotted-carpets")
    assert codes[str(knotted.pk)] == "5701.10"
    assert 'list="hs-code-suggestions"' in html
    assert 'data-search-url="' + url("hs_code_search", cooperative, language="fr") in html
    assert "js/workspace.js" in html
    assert 'name="kind" value="made_to_order"' in html


def test_creating_a_product_saves_a_draft_and_opens_its_page(client, seller, cooperative, craft):
    response = client.post(
        url("product_create", cooperative), form_data(craft, price="1 500,50", hs_code="570110")
    )

    product = Product.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("product_edit", cooperative, product.pk)
    assert product.cooperative == cooperative
    assert product.status == ProductStatus.DRAFT
    assert product.price == Decimal("1500.50")
    assert product.hs_code.code == "570110"
    assert product.slug == "beni-ouarain-carpet"
    assert (product.stock, product.made_to_order) == (1, False)
    followed = client.get(response["Location"])
    assert "Add its photos, then submit it for review." in page(followed)


def test_an_empty_hs_code_takes_the_crafts_usual_one(client, seller, cooperative, craft):
    client.post(url("product_create", cooperative), form_data(craft, hs_code=""))

    assert Product.objects.get().hs_code == craft.hs_code


def test_after_a_sale_during_the_edit_the_seller_can_save_again(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, stock=4, title="Old title")
    edit = url("product_edit", cooperative, product.pk)
    data = edit_data(product, kind="in_stock", quantity="6", title="New title")
    Product.objects.filter(pk=product.pk).update(stock=3)  # a buyer took one meanwhile

    refused = client.post(edit, data)
    again = client.post(edit, {**data, "stock_seen": "3"})

    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "3 left now" in page(refused)
    assert 'name="stock_seen" value="3"' in page(refused)  # what the seller saves next
    assert again.status_code == HTTPStatus.FOUND
    stored = Product.objects.get(pk=product.pk)
    assert (stored.stock, stored.title) == (6, "New title")


def test_the_edit_page_saves_what_it_shows(client, seller, cooperative):
    """What the page posts back, hidden fields included, saves: nothing the form needs is left
    out of the page."""
    product = ProductFactory(cooperative=cooperative, stock=4, title="Old title")
    edit = url("product_edit", cooperative, product.pk)
    shown = page(client.get(edit))
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', shown))
    hidden.pop("csrfmiddlewaretoken", None)

    response = client.post(edit, {**edit_data(product, title="New title"), **hidden})

    assert {"stock_seen", "seen_at"} <= set(hidden)
    assert response.status_code == HTTPStatus.FOUND
    assert Product.objects.get(pk=product.pk).title == "New title"


def test_changing_only_the_stock_shows_on_the_public_pages(
    client, seller, cooperative, django_capture_on_commit_callbacks
):
    product = ProductFactory(cooperative=cooperative, stock=1)
    version = listings_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("product_edit", cooperative, product.pk),
            edit_data(product, kind="in_stock", quantity="5"),
        )

    assert response.status_code == HTTPStatus.FOUND
    assert Product.objects.get(pk=product.pk).stock == 5
    assert listings_version() != version


def test_an_edit_without_the_stock_it_saw_is_refused(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, stock=4, title="Old title")
    data = edit_data(product, title="New title")
    del data["stock_seen"]

    response = client.post(url("product_edit", cooperative, product.pk), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Product.objects.get(pk=product.pk).title == "Old title"


def test_several_in_stock_and_made_to_order_are_saved(client, seller, cooperative, craft):
    client.post(
        url("product_create", cooperative),
        form_data(craft, title="Bowls", kind="in_stock", quantity="12"),
    )
    client.post(
        url("product_create", cooperative),
        form_data(craft, title="Door", kind="made_to_order", lead_time_days="45"),
    )

    bowls, door = Product.objects.get(title="Bowls"), Product.objects.get(title="Door")
    assert (bowls.stock, bowls.made_to_order) == (12, False)
    assert (door.made_to_order, door.lead_time_days) == (True, 45)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hs_code": "9999.99"}, "hs_code", "There is no HS code 9999.99"),
        ({"hs_code": "5701"}, "hs_code", "5701 is a group of codes"),
        ({"hs_code": "57-01-10x"}, "hs_code", "Type the 6-digit HS code"),
        ({"hs_code": "' OR 1=1 --"}, "hs_code", "Type the 6-digit HS code"),
        ({"weight_grams": ""}, "weight_grams", "This field is required."),
        ({"weight_grams": "0"}, "weight_grams", "greater than or equal to 1"),
        ({"kind": "made_to_order"}, "lead_time_days", "Say in how many days"),
        ({"kind": "in_stock"}, "quantity", "Say how many pieces"),
        ({"kind": "free"}, "kind", "Select a valid choice."),
        ({"price": "-5"}, "price", "greater than or equal to 0.01"),
        ({"price": "0"}, "price", "greater than or equal to 0.01"),
        ({"price": "10000000.01"}, "price", "less than or equal to 10000000"),
        ({"price": "1e999"}, "price", "less than or equal to 10000000"),
        ({"price": "Infinity"}, "price", "Enter a number."),
        ({"price": "NaN"}, "price", "Enter a number."),
        ({"price": "12.345"}, "price", "more than 2 decimal places"),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 10_000}, "title", "at most 150 characters"),
        ({"title": "Carpet\x00"}, "title", "Null characters are not allowed."),
        ({"craft": "abc"}, "craft", "Select a valid choice."),
        ({"craft": "999999"}, "craft", "Select a valid choice."),
        ({"description": "x" * 10_000}, "description", "at most 5000 characters"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(
    client, seller, cooperative, craft, overrides, field, message
):
    data = form_data(craft, **overrides)

    response = client.post(url("product_create", cooperative), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message.split("%")[0][:20] in page(response).replace("&#x27;", "'")
    assert not Product.objects.exists()
    # What was typed is kept (the hostile title is shown escaped, never executed).
    if overrides.get("title", "").startswith("Carpet"):
        return
    assert f'value="{data["title"][:150]}' in page(response) or field == "title"


def test_errors_are_in_the_pages_language(client, seller, cooperative, craft):
    response = client.post(
        url("product_create", cooperative, language="fr"), form_data(craft, title="")
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Ce champ est obligatoire." in page(response)


def test_a_pending_cooperative_can_prepare_drafts(client, seller, cooperative, craft):
    cooperative.status = CooperativeStatus.PENDING
    cooperative.save()

    response = client.post(url("product_create", cooperative), form_data(craft))

    assert response.status_code == HTTPStatus.FOUND
    assert Product.objects.get().status == ProductStatus.DRAFT


# --- edit ----------------------------------------------------------------------------------


def test_the_edit_page_shows_the_products_values_and_status(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, title="Tamegroute vase", price="320.00")

    response = client.get(url("product_edit", cooperative, product.pk))

    html = page(response)
    assert response.status_code == HTTPStatus.OK
    assert 'value="Tamegroute vase"' in html
    assert 'value="5701.10"' in html
    assert 'value="320.00"' in html
    assert 'class="badge badge--published"' in html
    assert "sends it back to review" in html
    assert product.hs_code.description in html


def test_editing_a_published_products_price_and_text_keeps_it_published(
    client, seller, cooperative
):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.PUBLISHED)
    ProductImageFactory(product=product)

    response = client.post(
        url("product_edit", cooperative, product.pk),
        edit_data(product, price="5100", description="Dyed with henna."),
    )

    stored = Product.objects.get(pk=product.pk)
    assert response.status_code == HTTPStatus.FOUND
    assert stored.status == ProductStatus.PUBLISHED
    assert (stored.price, stored.description) == (Decimal("5100"), "Dyed with henna.")
    assert "goes back to review" not in page(client.get(response["Location"]))


def test_changing_a_published_products_hs_code_sends_it_back_to_review(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.PUBLISHED)
    HSCodeFactory(code="570190", description_en="Carpets; knotted, of other textiles")

    response = client.post(
        url("product_edit", cooperative, product.pk), edit_data(product, hs_code="5701.90")
    )

    stored = Product.objects.get(pk=product.pk)
    assert stored.status == ProductStatus.PENDING
    assert stored.hs_code.code == "570190"
    assert "goes back to review" in page(client.get(response["Location"]))


def test_an_invalid_edit_keeps_what_was_typed_and_changes_nothing(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, title="Old title")

    response = client.post(
        url("product_edit", cooperative, product.pk),
        edit_data(product, title="New title", hs_code="9999.99"),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'value="New title"' in page(response)
    assert 'value="9999.99"' in page(response)
    assert "There is no HS code 9999.99" in page(response)
    assert Product.objects.get(pk=product.pk).title == "Old title"


def test_a_sale_while_editing_is_not_undone(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, stock=3)
    data = edit_data(product, kind="in_stock", quantity="5")
    Product.objects.filter(pk=product.pk).update(stock=2)  # a buyer took one meanwhile

    response = client.post(url("product_edit", cooperative, product.pk), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "were sold while you were editing" in page(response)
    assert Product.objects.get(pk=product.pk).stock == 2


@pytest.mark.parametrize("rows", [1, 10])
def test_the_edit_page_runs_the_same_queries_for_1_and_10_photos(
    client, seller, cooperative, django_assert_num_queries, rows
):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.DRAFT)
    for _ in range(rows):
        ProductImageFactory(product=product)

    # session, user, memberships, product, photos, approval's photo check, crafts, craft codes
    with django_assert_num_queries(8):
        response = client.get(url("product_edit", cooperative, product.pk))

    assert response.status_code == HTTPStatus.OK


# --- submit, archive, restore --------------------------------------------------------------


def test_a_pending_cooperative_is_told_it_cannot_submit_yet(client, seller, cooperative):
    cooperative.status = CooperativeStatus.PENDING
    cooperative.save()
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.DRAFT)
    ProductImageFactory(product=product)

    page_before = page(client.get(url("product_edit", cooperative, product.pk)))
    response = client.post(url("product_submit", cooperative, product.pk))

    assert "once Souk has verified your cooperative" in page_before
    assert url("product_submit", cooperative, product.pk) not in page_before
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "is not verified yet" in page(response)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


def test_submitting_an_incomplete_product_lists_what_it_misses(client, seller, cooperative):
    product = ProductFactory(
        cooperative=cooperative, status=ProductStatus.DRAFT, title="Pouf", weight_grams=None
    )

    response = client.post(url("product_submit", cooperative, product.pk))

    html = page(response)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "“Pouf” needs its weight." in html
    assert "“Pouf” needs at least one photo." in html
    assert "needs a 6-digit HS subheading" not in html
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


def test_a_rejected_product_shows_the_reason_and_is_fixed_and_resubmitted(
    client, seller, cooperative
):
    product = ProductFactory(
        cooperative=cooperative,
        status=ProductStatus.REJECTED,
        rejection_reason="Say what the carpet is made of.",
        materials="",
    )
    ProductImageFactory(product=product)

    shown = page(client.get(url("product_edit", cooperative, product.pk)))
    fixed = client.post(
        url("product_edit", cooperative, product.pk), edit_data(product, materials="wool")
    )
    assert Product.objects.get(pk=product.pk).status == ProductStatus.REJECTED
    submitted = client.post(url("product_submit", cooperative, product.pk))
    again = client.post(url("product_submit", cooperative, product.pk))  # a double click

    assert "Say what the carpet is made of." in shown
    assert "Submit for review again" in shown
    assert fixed.status_code == submitted.status_code == again.status_code == HTTPStatus.FOUND
    stored = Product.objects.get(pk=product.pk)
    assert (stored.status, stored.materials) == (ProductStatus.PENDING, "wool")
    assert "already awaiting review" in page(client.get(again["Location"]))


def test_archive_and_restore(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.PUBLISHED)

    archived = client.post(url("product_archive", cooperative, product.pk))
    assert Product.objects.get(pk=product.pk).status == ProductStatus.ARCHIVED
    assert "buyers no longer see it" in page(client.get(archived["Location"]))
    restored = client.post(url("product_restore", cooperative, product.pk))

    assert restored.status_code == HTTPStatus.FOUND
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT
    assert client.get(url("product_archive", cooperative, product.pk)).status_code == 405


# --- photos --------------------------------------------------------------------------------


def test_uploading_several_photos_keeps_the_good_ones_and_names_the_bad_one(
    client, seller, cooperative, media_root
):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.DRAFT)
    bad = upload(b"%PDF-1.4 not a photo", "invoice.pdf")

    response = client.post(
        url("product_add_photos", cooperative, product.pk),
        {"photos": [photo("front.jpg"), bad, upload(encoded("PNG"), "side.png")]},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith("#photos")
    assert product.images.count() == 2
    assert len(files_under(media_root)) == 6
    html = page(client.get(response["Location"]))
    assert "2 photos added." in html
    assert "Not added: invoice.pdf: This file is not a JPEG, PNG or WebP image." in html
    assert "Cover" in html


def test_uploading_only_bad_files_is_refused_with_each_reason(
    client, seller, cooperative, media_root
):
    product = ProductFactory(cooperative=cooperative)

    response = client.post(
        url("product_add_photos", cooperative, product.pk),
        {"photos": [upload(b"", "empty.jpg")]},
    )
    nothing = client.post(url("product_add_photos", cooperative, product.pk), {})

    assert response.status_code == nothing.status_code == HTTPStatus.BAD_REQUEST
    assert "The submitted file is empty." in page(response)
    assert not ProductImage.objects.exists()
    assert files_under(media_root) == []


def test_adding_a_photo_to_a_published_product_sends_it_back_to_review(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.PUBLISHED)

    response = client.post(
        url("product_add_photos", cooperative, product.pk), {"photos": [photo()]}
    )

    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING
    assert "goes back to review" in page(client.get(response["Location"]))


def test_a_photo_moves_earlier_and_later_without_leaving_the_catalog(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.PUBLISHED)
    first, second = ProductImageFactory(product=product), ProductImageFactory(product=product)

    client.post(
        url("product_move_photo", cooperative, product.pk, second.pk), {"direction": "earlier"}
    )
    assert list(product.images.order_by("position")) == [second, first]
    client.post(
        url("product_move_photo", cooperative, product.pk, second.pk), {"direction": "later"}
    )
    bad = client.post(
        url("product_move_photo", cooperative, product.pk, second.pk), {"direction": "up"}
    )

    assert list(product.images.order_by("position")) == [first, second]
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PUBLISHED


def test_alt_text_is_saved_and_too_long_is_refused(client, seller, cooperative):
    image = ProductImageFactory(product=ProductFactory(cooperative=cooperative), alt_text="")
    edit = url("product_edit_photo", cooperative, image.product_id, image.pk)

    saved = client.post(edit, {"alt_text": "The carpet rolled out"})
    too_long = client.post(edit, {"alt_text": "x" * 201})

    assert saved.status_code == HTTPStatus.FOUND
    assert too_long.status_code == HTTPStatus.BAD_REQUEST
    assert ProductImage.objects.get(pk=image.pk).alt_text == "The carpet rolled out"
    assert 'value="The carpet rolled out"' in page(client.get(saved["Location"]))


def test_deleting_a_photo_removes_it_and_its_files(
    client, seller, cooperative, media_root, django_capture_on_commit_callbacks
):
    product = ProductFactory(cooperative=cooperative, status=ProductStatus.DRAFT)
    client.post(url("product_add_photos", cooperative, product.pk), {"photos": [photo()]})
    image = product.images.get()
    assert len(files_under(media_root)) == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("product_delete_photo", cooperative, product.pk, image.pk))

    assert response.status_code == HTTPStatus.FOUND
    assert not product.images.exists()
    assert files_under(media_root) == []
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


# --- HS code search ------------------------------------------------------------------------


def search(client, cooperative, language: str = "en", **params) -> list[dict]:
    response = client.get(url("hs_code_search", cooperative, language=language), params)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


@pytest.mark.parametrize("query", ["5701.10", "570110", "5701 10", "٥٧٠١١٠"])
def test_hs_search_finds_a_code_typed_any_way(client, seller, cooperative, reference_data, query):
    [result] = search(client, cooperative, q=query)

    assert result["code"] == "570110"
    assert result["dotted"] == "5701.10"
    assert "knotted, of wool" in result["description"]


def test_hs_search_by_heading_lists_only_its_subheadings(
    client, seller, cooperative, reference_data
):
    results = search(client, cooperative, q="5701")

    assert [result["code"] for result in results] == ["570110", "570190"]


def test_hs_search_finds_french_words_and_answers_in_french(
    client, seller, cooperative, reference_data
):
    [result] = search(client, cooperative, language="fr", q="tapis laine")

    assert result["code"] == "570110"
    assert result["description"].startswith("Tapis à points noués")


def test_hs_search_finds_arabic_words_and_answers_in_arabic(
    client, seller, cooperative, reference_data
):
    results = search(client, cooperative, language="ar", q="السجاد الصوف")

    assert [result["code"] for result in results] == ["570110"]
    assert "الصوف" in results[0]["description"]


def test_hs_search_puts_the_crafts_usual_code_first(client, seller, cooperative, reference_data):
    craft = Craft.objects.get(slug="boucherouite")  # usually 5701.90

    proposed = search(client, cooperative, q="", craft=str(craft.pk))
    matching = search(client, cooperative, q="knotted", craft=str(craft.pk))

    assert proposed[0]["code"] == "570190"
    assert {result["code"][:4] for result in proposed} == {"5701"}
    assert matching[0]["code"] == "570190"
    assert "570110" in [result["code"] for result in matching]


def test_hs_search_returns_at_most_twenty_subheadings(client, seller, cooperative, reference_data):
    results = search(client, cooperative, q="69")

    assert len(results) == 20
    assert all(len(result["code"]) == 6 for result in results)
    assert not search(client, cooperative, q="")


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "%_%",
        "'",
        '"',
        "\\",
        "x" * 10_000,
        "5701" * 2_500,
        "' OR '1'='1",
        "\x00",
        "tapis\x00laine",
        "🧶",
    ],
)
def test_hostile_hs_searches_answer_calmly(client, seller, cooperative, reference_data, query):
    results = search(client, cooperative, q=query, craft="1' OR 1=1")

    assert len(results) <= 20
    if query in ("%", "_", "%_%", "'", '"', "\\"):
        assert results == []  # wildcards are literal characters, not "anything"


def test_only_subheadings_are_offered(client, seller, cooperative):
    HSCodeFactory(code="57", level=HSCodeLevel.CHAPTER, description_en="Carpets chapter")
    HSCodeFactory(code="5701", level=HSCodeLevel.HEADING, description_en="Carpets heading")
    HSCodeFactory(code="570110", description_en="Carpets; knotted, of wool")

    results = search(client, cooperative, q="carpets")

    assert [result["code"] for result in results] == ["570110"]
    assert HSCode.objects.count() == 3


# --- who sees what -------------------------------------------------------------------------


PRODUCT_URLS = [
    ("product_edit", False),
    ("product_submit", False),
    ("product_archive", False),
    ("product_restore", False),
    ("product_add_photos", False),
    ("product_edit_photo", True),
    ("product_move_photo", True),
    ("product_delete_photo", True),
]


@pytest.mark.parametrize(("name", "with_photo"), PRODUCT_URLS)
def test_another_cooperatives_product_is_a_404_on_every_product_url(
    client, seller, cooperative, name, with_photo
):
    theirs = ProductFactory(title="Their carpet", status=ProductStatus.ARCHIVED)
    their_photo = ProductImageFactory(product=theirs)
    ours = ProductFactory(cooperative=cooperative)
    args = [theirs.pk, their_photo.pk] if with_photo else [theirs.pk]
    before = list(Product.objects.values_list("pk", "status", "title"))

    get = client.get(url(name, cooperative, *args))
    post = client.post(url(name, cooperative, *args), {"title": "Taken", "direction": "later"})

    assert get.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED)
    assert post.status_code == HTTPStatus.NOT_FOUND
    if with_photo:  # their photo under our product is theirs still
        mixed = client.post(url(name, cooperative, ours.pk, their_photo.pk), {})
        assert mixed.status_code == HTTPStatus.NOT_FOUND
    assert list(Product.objects.values_list("pk", "status", "title")) == before
    assert ProductImage.objects.filter(pk=their_photo.pk).exists()


def test_a_suspended_cooperative_reads_its_products_without_forms(client, seller, cooperative):
    product = ProductFactory(cooperative=cooperative)
    cooperative.status = CooperativeStatus.SUSPENDED
    cooperative.save()

    listed = client.get(url("product_list", cooperative))
    shown = client.get(url("product_edit", cooperative, product.pk))
    refused = client.post(url("product_archive", cooperative, product.pk))

    assert listed.status_code == shown.status_code == HTTPStatus.OK
    assert "Add a product" not in page(listed)
    assert '<fieldset class="product-form__fields" disabled>' in page(shown)
    assert url("product_archive", cooperative, product.pk) not in page(shown)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PUBLISHED


def test_crafts_are_grouped_under_their_branch(client, seller, cooperative):
    pottery = CraftBranchFactory(slug="pottery", name_en="Pottery", position=2)
    CraftFactory(slug="fes-pottery", name_en="Fes blue pottery", branch=pottery)
    CraftFactory()  # knotted carpets, in textiles

    html = page(client.get(url("product_create", cooperative)))

    textiles = html.index('<optgroup label="Textiles and carpets">')
    assert textiles < html.index("Knotted carpets") < html.index('<optgroup label="Pottery">')
    assert html.index('<optgroup label="Pottery">') < html.index("Fes blue pottery")
