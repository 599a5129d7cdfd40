import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artisans.models import CooperativeStatus, MembershipRole
from catalog.models import HSCodeLevel, Product, ProductStatus
from catalog.moderation import approve_product, reject_product
from tests.factories import (
    CooperativeFactory,
    HSCodeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return UserFactory(is_staff=True)


def pending_product(**fields) -> Product:
    product = ProductFactory(**{"status": ProductStatus.PENDING, **fields})
    ProductImageFactory(product=product)
    return product


def error_codes(raised: pytest.ExceptionInfo) -> set[str]:
    return {error.code for error in raised.value.error_list}


def test_approve_publishes_records_the_reviewer_and_tells_the_owner(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    product = pending_product(title="Zellige fountain")
    owner = MembershipFactory(
        cooperative=product.cooperative, role=MembershipRole.OWNER, user__language="fr"
    ).user
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        approve_product(product, by=moderator)

    stored = Product.objects.get(pk=product.pk)
    assert stored.status == ProductStatus.PUBLISHED
    assert stored.reviewed_by == moderator
    assert stored.reviewed_at >= before
    assert list(Product.objects.published()) == [stored]
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "Zellige fountain" in mail.subject
    assert f"/fr/{stored.get_absolute_url().split('/', 2)[2]}" in mail.body


def test_a_product_of_an_unverified_cooperative_is_approved_but_stays_hidden(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    product = pending_product(cooperative=CooperativeFactory(status=CooperativeStatus.PENDING))
    MembershipFactory(cooperative=product.cooperative, role=MembershipRole.OWNER)

    with django_capture_on_commit_callbacks(execute=True):
        approve_product(product, by=moderator)

    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED
    assert not Product.objects.published().exists()
    assert "as soon as your cooperative is verified" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": ProductStatus.DRAFT}, "not_pending"),
        ({"status": ProductStatus.PUBLISHED}, "not_pending"),
        ({"hs_code": None}, "hs_code_required"),
        ({"weight_grams": None}, "weight_required"),
    ],
)
def test_approve_refuses_what_is_not_ready_and_changes_nothing(
    moderator, mailoutbox, fields, code, django_capture_on_commit_callbacks
):
    product = pending_product(**fields)
    status = product.status

    with pytest.raises(ValidationError) as raised, django_capture_on_commit_callbacks(execute=True):
        approve_product(product, by=moderator)

    assert error_codes(raised) == {code}
    product.refresh_from_db()
    assert product.status == status
    assert product.reviewed_by is None
    assert mailoutbox == []


def test_approve_needs_a_subheading_not_a_heading(moderator):
    heading = HSCodeFactory(code="5701", level=HSCodeLevel.HEADING)
    product = pending_product(hs_code=heading)

    with pytest.raises(ValidationError) as raised:
        approve_product(product, by=moderator)

    assert error_codes(raised) == {"hs_code_required"}


def test_approve_names_every_missing_piece_at_once(moderator):
    product = ProductFactory(status=ProductStatus.PENDING, hs_code=None, weight_grams=None)

    with pytest.raises(ValidationError) as raised:
        approve_product(product, by=moderator)

    assert error_codes(raised) == {"hs_code_required", "weight_required", "photo_required"}
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING


def test_reject_records_the_reason_and_mails_it(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    product = pending_product()
    owner = MembershipFactory(cooperative=product.cooperative, role=MembershipRole.OWNER).user

    with django_capture_on_commit_callbacks(execute=True):
        reject_product(product, by=moderator, reason=" Photos show a different carpet. ")

    stored = Product.objects.get(pk=product.pk)
    assert stored.status == ProductStatus.REJECTED
    assert stored.rejection_reason == "Photos show a different carpet."
    assert stored.reviewed_by == moderator
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "Photos show a different carpet." in mail.body


def test_reject_takes_a_published_product_down(moderator):
    product = ProductFactory(status=ProductStatus.PUBLISHED)

    reject_product(product, by=moderator, reason="Counterfeit label.")

    assert not Product.objects.published().exists()


@pytest.mark.parametrize("reason", ["", "  "])
def test_reject_without_a_reason_is_refused(moderator, mailoutbox, reason):
    product = pending_product()

    with pytest.raises(ValidationError) as raised:
        reject_product(product, by=moderator, reason=reason)

    assert raised.value.code == "reason_required"
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING
    assert mailoutbox == []


def test_reject_refuses_a_draft(moderator):
    product = ProductFactory(status=ProductStatus.DRAFT)

    with pytest.raises(ValidationError) as raised:
        reject_product(product, by=moderator, reason="Not ready.")

    assert raised.value.code == "not_reviewable"
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT
    assert product.rejection_reason == ""
