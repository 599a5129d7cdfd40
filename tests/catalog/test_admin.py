from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from artisans.models import CooperativeStatus, MembershipRole
from catalog.models import HSCodeLevel, Product, ProductImage, ProductStatus
from tests.admin_forms import product_form_data
from tests.factories import (
    CooperativeFactory,
    CraftBranchFactory,
    CraftFactory,
    HSCodeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
)
from tests.images import files_under, not_an_image, photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

CHANGELIST = "/en/admin/catalog/product/"


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def product_with_photo(**fields) -> Product:
    product = ProductFactory(**fields)
    ProductImageFactory(product=product)
    return product


@pytest.mark.parametrize(
    ("url", "make_row"),
    [
        (CHANGELIST, lambda n: product_with_photo(status=ProductStatus.PENDING)),
        ("/en/admin/catalog/craftbranch/", lambda n: CraftBranchFactory(slug=f"branch-{n}")),
        ("/en/admin/catalog/craft/", lambda n: CraftFactory(slug=f"craft-{n}")),
        ("/en/admin/catalog/hscode/", lambda n: HSCodeFactory(code=f"{570100 + n}")),
        (f"{CHANGELIST}?queue=pending", lambda n: product_with_photo(status=ProductStatus.PENDING)),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, url, make_row):
    make_row(0)
    admin_client.get(url)  # warm caches (content types, permissions)
    one = count_queries(admin_client, url)

    for n in range(1, 30):
        make_row(n)

    assert count_queries(admin_client, url) == one


@pytest.mark.parametrize("model", ["craftbranch", "craft", "hscode", "product"])
def test_add_and_change_pages_load(admin_client, model):
    product = product_with_photo()
    row = {
        "craftbranch": product.craft.branch,
        "craft": product.craft,
        "hscode": product.hs_code,
        "product": product,
    }[model]

    assert admin_client.get(f"/en/admin/catalog/{model}/add/").status_code == HTTPStatus.OK
    response = admin_client.get(f"/en/admin/catalog/{model}/{row.pk}/change/")
    assert response.status_code == HTTPStatus.OK


def test_translated_models_show_a_field_per_language(admin_client):
    craft = CraftFactory()

    html = admin_client.get(f"/en/admin/catalog/craft/{craft.pk}/change/").content.decode()

    for language in ("en", "fr", "ar"):
        assert f'name="name_{language}"' in html


def test_product_list_shows_thumbnail_cooperative_status_and_the_queue(admin_client):
    product_with_photo(
        title="Tadelakt vase",
        status=ProductStatus.PENDING,
        cooperative=CooperativeFactory(status=CooperativeStatus.PENDING),
    )
    ProductFactory(title="Copper tray", status=ProductStatus.PUBLISHED)

    html = admin_client.get(CHANGELIST).content.decode()
    queue = admin_client.get(f"{CHANGELIST}?queue=pending").content.decode()

    assert '<img src="/media/products/thumb/' in html
    assert "pending verification" in html  # the cooperative's status, beside the product
    assert "1 product awaiting review" in html
    assert "Awaiting review (1)" in html
    assert "Tadelakt vase" in queue
    assert "Copper tray" not in queue


def test_approve_action_publishes_ready_products_and_names_the_others(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    ready = product_with_photo(status=ProductStatus.PENDING)
    MembershipFactory(cooperative=ready.cooperative, role=MembershipRole.OWNER)
    no_photo = ProductFactory(title="Thuya box", status=ProductStatus.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "approve_selected", "_selected_action": [ready.pk, no_photo.pk]},
            follow=True,
        )

    html = response.content.decode()
    assert "1 product approved." in html
    assert "“Thuya box” needs at least one photo." in html
    ready.refresh_from_db()
    no_photo.refresh_from_db()
    assert ready.status == ProductStatus.PUBLISHED
    assert ready.reviewed_by == admin_user
    assert no_photo.status == ProductStatus.PENDING
    assert len(mailoutbox) == 1


def test_reject_action_needs_a_reason(admin_client, mailoutbox):
    product = product_with_photo(status=ProductStatus.PENDING, title="Leather pouf")

    first = admin_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [product.pk]}
    )
    missing = admin_client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": [product.pk], "apply": "1"},
    )

    assert first.status_code == HTTPStatus.OK
    assert "Leather pouf" in first.content.decode()
    assert 'name="reason"' in first.content.decode()
    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert "This field is required." in missing.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.PENDING
    assert product.reviewed_by is None
    assert mailoutbox == []


def test_reject_action_with_a_reason_rejects_and_records_it(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    product = product_with_photo(status=ProductStatus.PENDING)
    owner = MembershipFactory(cooperative=product.cooperative, role=MembershipRole.OWNER).user

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {
                "action": "reject_selected",
                "_selected_action": [product.pk],
                "apply": "1",
                "reason": "The weight looks wrong for this size.",
            },
            follow=True,
        )

    assert "1 product rejected." in response.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.REJECTED
    assert product.rejection_reason == "The weight looks wrong for this size."
    assert product.reviewed_by == admin_user
    assert [mail.to for mail in mailoutbox] == [[owner.email]]


def test_hs_code_picker_offers_only_subheadings_and_reads_dotted_codes(admin_client):
    HSCodeFactory(code="5701", level=HSCodeLevel.HEADING, description_en="Carpets, knotted")
    HSCodeFactory(code="570110")
    params = {"app_label": "catalog", "model_name": "product", "field_name": "hs_code"}

    plain = admin_client.get("/en/admin/autocomplete/", {**params, "term": "5701"}).json()
    dotted = admin_client.get("/en/admin/autocomplete/", {**params, "term": "5701.10"}).json()

    assert [result["text"][:7] for result in plain["results"]] == ["5701.10"]
    assert [result["text"][:7] for result in dotted["results"]] == ["5701.10"]


def test_craft_picker_keeps_headings_for_a_crafts_usual_code(admin_client):
    HSCodeFactory(code="5701", level=HSCodeLevel.HEADING, description_en="Carpets, knotted")

    response = admin_client.get(
        "/en/admin/autocomplete/",
        {"app_label": "catalog", "model_name": "craft", "field_name": "hs_code", "term": "5701"},
    )

    assert [result["text"][:4] for result in response.json()["results"]] == ["5701"]


def test_saving_a_product_with_a_heading_is_refused_beside_the_field(admin_client):
    product = ProductFactory()
    heading = HSCodeFactory(code="5701", level=HSCodeLevel.HEADING)

    response = admin_client.post(
        f"{CHANGELIST}{product.pk}/change/", product_form_data(product, hs_code=heading.pk)
    )

    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice." in response.content.decode()
    product.refresh_from_db()
    assert product.hs_code.code == "570110"


def test_a_photo_uploaded_in_the_admin_is_reencoded_with_its_thumbnail(admin_client, media_root):
    product = ProductFactory(status=ProductStatus.DRAFT)
    data = product_form_data(
        product,
        **{
            "images-TOTAL_FORMS": 1,
            "images-0-image": photo(),
            "images-0-alt_text": "The carpet laid flat",
            "images-0-position": 0,
        },
    )

    response = admin_client.post(f"{CHANGELIST}{product.pk}/change/", data)

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    [stored] = ProductImage.objects.filter(product=product)
    assert stored.alt_text == "The carpet laid flat"
    assert (stored.width, stored.height) == (800, 600)
    for name in (stored.image.name, stored.card.name, stored.thumbnail.name):
        assert (media_root / name).is_file()
    assert stored.thumbnail.name.startswith("products/thumb/")


def test_a_file_that_is_not_an_image_is_refused_in_the_admin(admin_client, media_root):
    product = ProductFactory(status=ProductStatus.DRAFT)
    data = product_form_data(
        product,
        **{"images-TOTAL_FORMS": 1, "images-0-image": not_an_image(), "images-0-position": 0},
    )

    response = admin_client.post(f"{CHANGELIST}{product.pk}/change/", data)

    assert response.status_code == HTTPStatus.OK
    assert not ProductImage.objects.exists()
    assert files_under(media_root) == []


def test_deleting_a_photo_in_the_admin_removes_its_files(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    product = ProductFactory(status=ProductStatus.DRAFT)
    admin_client.post(
        f"{CHANGELIST}{product.pk}/change/",
        product_form_data(
            product,
            **{"images-TOTAL_FORMS": 1, "images-0-image": photo(), "images-0-position": 0},
        ),
    )
    stored = ProductImage.objects.get(product=product)
    data = product_form_data(
        product,
        **{
            "images-TOTAL_FORMS": 1,
            "images-INITIAL_FORMS": 1,
            "images-0-id": stored.pk,
            "images-0-product": product.pk,
            "images-0-position": 0,
            "images-0-DELETE": "on",
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{CHANGELIST}{product.pk}/change/", data)

    assert response.status_code == HTTPStatus.FOUND
    assert not ProductImage.objects.exists()
    assert files_under(media_root) == []
