import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from artisans.models import Cooperative, CooperativeStatus, MembershipRole
from artisans.verification import suspend_cooperative, verify_cooperative
from catalog.models import Product
from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def pending(db) -> Cooperative:
    return CooperativeFactory(status=CooperativeStatus.PENDING, name="Cooperative Tifawin")


def owner_of(cooperative: Cooperative, *, language: str, **fields):
    user = UserFactory(language=language, **fields)
    MembershipFactory(user=user, cooperative=cooperative, role=MembershipRole.OWNER)
    return user


def day_of(cooperative: Cooperative, language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localtime(cooperative.status_changed_at), "DATE_FORMAT")


def test_verify_records_who_and_when_and_mails_each_owner_in_their_language(
    pending, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    owner_fr = owner_of(pending, language="fr")
    owner_en = owner_of(pending, language="en")
    MembershipFactory(cooperative=pending, role=MembershipRole.MEMBER)  # not an owner: no mail
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        result = verify_cooperative(pending, by=moderator)

    stored = Cooperative.objects.get(pk=pending.pk)
    assert result.status == stored.status == CooperativeStatus.VERIFIED
    assert stored.status_changed_by == moderator
    assert stored.status_changed_at >= before
    assert stored.status_reason == ""
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert set(mails) == {owner_fr.email, owner_en.email}
    assert "Cooperative Tifawin" in mails[owner_fr.email].subject
    assert f"/fr/cooperatives/{pending.slug}/" in mails[owner_fr.email].body
    assert f"/en/cooperatives/{pending.slug}/" in mails[owner_en.email].body
    assert day_of(stored, "fr") != day_of(stored, "en")  # month names differ
    assert day_of(stored, "fr") in mails[owner_fr.email].body
    assert day_of(stored, "en") in mails[owner_en.email].body


def test_verifying_a_verified_cooperative_changes_nothing(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    earlier = timezone.now() - timezone.timedelta(days=30)
    first_moderator = UserFactory(is_staff=True)
    cooperative = CooperativeFactory(
        status=CooperativeStatus.VERIFIED,
        status_changed_at=earlier,
        status_changed_by=first_moderator,
    )
    owner_of(cooperative, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        verify_cooperative(cooperative, by=moderator)

    cooperative.refresh_from_db()
    assert cooperative.status_changed_at == earlier
    assert cooperative.status_changed_by == first_moderator
    assert mailoutbox == []


def test_suspend_records_the_reason_and_hides_every_product(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    cooperative = CooperativeFactory(status=CooperativeStatus.VERIFIED)
    products = ProductFactory.create_batch(2, cooperative=cooperative)
    elsewhere = ProductFactory()
    owner = owner_of(cooperative, language="ar")
    assert Product.objects.published().count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        suspend_cooperative(cooperative, by=moderator, reason="  Sells imported goods.  ")

    cooperative.refresh_from_db()
    assert cooperative.status == CooperativeStatus.SUSPENDED
    assert cooperative.status_reason == "Sells imported goods."
    assert cooperative.status_changed_by == moderator
    assert list(Product.objects.published()) == [elsewhere]
    assert all(
        product.status == "published"
        for product in Product.objects.filter(pk__in=[p.pk for p in products])
    )  # hidden through the cooperative; the products themselves are untouched
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "Sells imported goods." in mail.body
    assert day_of(cooperative, "ar") in mail.body


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_suspend_without_a_reason_is_refused_and_changes_nothing(
    moderator, mailoutbox, reason, django_capture_on_commit_callbacks
):
    cooperative = CooperativeFactory(status=CooperativeStatus.VERIFIED)
    owner_of(cooperative, language="en")

    with pytest.raises(ValidationError) as raised, django_capture_on_commit_callbacks(execute=True):
        suspend_cooperative(cooperative, by=moderator, reason=reason)

    assert raised.value.code == "reason_required"
    cooperative.refresh_from_db()
    assert cooperative.status == CooperativeStatus.VERIFIED
    assert cooperative.status_changed_by is None
    assert mailoutbox == []


def test_a_suspended_cooperative_can_be_verified_again(
    moderator, django_capture_on_commit_callbacks
):
    cooperative = CooperativeFactory(
        status=CooperativeStatus.SUSPENDED, status_reason="Missing documents."
    )
    product = ProductFactory(cooperative=cooperative)

    with django_capture_on_commit_callbacks(execute=True):
        verify_cooperative(cooperative, by=moderator)

    assert cooperative.status == CooperativeStatus.VERIFIED
    assert cooperative.status_reason == ""
    assert list(Product.objects.published()) == [product]


def test_inactive_owners_and_unknown_languages(
    pending, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    owner_of(pending, language="fr", is_active=False)
    odd = owner_of(pending, language="xx")

    with django_capture_on_commit_callbacks(execute=True):
        verify_cooperative(pending, by=moderator)

    [mail] = mailoutbox
    assert mail.to == [odd.email]
    assert f"/en/cooperatives/{pending.slug}/" in mail.body  # the site's default language


def test_a_mail_server_down_does_not_undo_the_decision(
    pending, moderator, settings, django_capture_on_commit_callbacks
):
    owner_of(pending, language="en")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    with django_capture_on_commit_callbacks(execute=True):
        verify_cooperative(pending, by=moderator)

    pending.refresh_from_db()
    assert pending.status == CooperativeStatus.VERIFIED
