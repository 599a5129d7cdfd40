from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from artisans.browsing import listings_version
from artisans.models import (
    Cooperative,
    CooperativePhoto,
    CooperativeStatus,
    LegalForm,
    Membership,
    MembershipRole,
)
from artisans.onboarding import FALLBACK_SLUG, SLUG_BASE_LENGTH, update_profile
from artisans.slugs import free_slug
from artisans.verification import suspend_cooperative
from catalog.models import Product
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    RegionFactory,
    UserFactory,
)
from tests.images import encoded, files_under, phone_jpeg, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

REGISTER = "/en/workspace/register/"


@pytest.fixture(autouse=True)
def _admins(settings) -> None:
    settings.ADMINS = [("Souk moderation", "moderation@souk.example")]


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def applicant(db):
    return UserFactory(email="amina@example.com", language="fr")


def profile_data(region, /, **changes) -> dict:
    return {
        "name": "Coopérative Tifawin",
        "legal_form": LegalForm.COOPERATIVE,
        "region": region.pk,
        "city": "Taliouine",
        "founded_year": "2009",
        "member_count": "24",
        "women_member_count": "20",
        "youth_led": "on",
        "story": "Saffron pickers and weavers of the Siroua.",
        "email": "contact@tifawin.example",
        "phone": "+212 6 12 34 56 78",
        **changes,
    }


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


# --- registration ---------------------------------------------------------------------


def test_register_creates_a_pending_cooperative_owned_by_its_creator(
    client, applicant, region, media_root, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    data = profile_data(
        region,
        logo=upload(encoded("PNG", (1024, 1024), "RGBA"), "logo.png"),
        photos=[upload(phone_jpeg(), "loom.jpg"), upload(encoded("WEBP"), "dye.webp")],
        photo_alt_text="Women weaving at the loom",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, data)

    cooperative = Cooperative.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("workspace:dashboard", args=[cooperative.pk])
    assert cooperative.slug == "cooperative-tifawin"
    assert cooperative.status == CooperativeStatus.PENDING
    assert (cooperative.city, cooperative.member_count, cooperative.women_member_count) == (
        "Taliouine",
        24,
        20,
    )
    assert cooperative.youth_led
    assert cooperative.founded_year == 2009
    assert Membership.objects.get().user == applicant
    assert Membership.objects.get().role == MembershipRole.OWNER
    # The files written are ours: re-encoded, bounded, stripped of the phone's metadata.
    logo = opened(media_root / cooperative.logo.name)
    assert logo.format == "PNG"
    assert max(logo.size) == 512
    photos = list(cooperative.photos.order_by("position"))
    assert [photo.alt_text for photo in photos] == ["Women weaving at the loom"] * 2
    for photo in photos:
        stored = opened(media_root / photo.image.name)
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert len(files_under(media_root)) == 3
    # A receipt to the owner, in their language; a note to Souk's admins.
    receipt, note = sorted(mailoutbox, key=lambda mail: mail.to != [applicant.email])
    assert receipt.to == [applicant.email]
    assert "Coopérative Tifawin" in receipt.subject
    assert f"/fr/workspace/{cooperative.pk}/" in receipt.body
    assert note.to == ["moderation@souk.example"]
    assert f"/admin/artisans/cooperative/{cooperative.pk}/change/" in note.body

    page = client.get(response["Location"])
    assert "Registered. Souk will check Coopérative Tifawin" in page.content.decode()


def test_register_page_offers_every_profile_field_and_several_photos(client, applicant, region):
    client.force_login(applicant)

    page = client.get(REGISTER).content.decode()

    for name in ("name", "legal_form", "region", "city", "founded_year", "member_count"):
        assert f'name="{name}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="photos"' in page
    assert "multiple" in page
    assert f'value="{applicant.email}"' in page  # the contact address starts as theirs


def test_register_with_a_bad_logo_leaves_no_row_no_file_and_no_mail(
    client, applicant, region, media_root, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    data = profile_data(
        region,
        logo=upload(b"<html>not a picture</html>", "logo.png"),
        photos=[upload(encoded(), "loom.jpg")],
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    form = response.context["form"]
    assert form.errors["logo"] == [
        "This file is not a JPEG, PNG or WebP image. "
        "Save the photo in one of these formats and upload it again."
    ]
    assert "This file is not a JPEG, PNG or WebP image." in response.content.decode()
    assert 'value="Taliouine"' in response.content.decode()  # what was typed is kept
    assert not Cooperative.objects.exists()
    assert not Membership.objects.exists()
    assert files_under(media_root) == []
    assert mailoutbox == []


def test_a_bad_photo_is_named_beside_the_photos_field(client, applicant, region, media_root):
    client.force_login(applicant)
    data = profile_data(
        region, photos=[upload(encoded(), "good.jpg"), upload(b"", "empty-one.jpg")]
    )

    response = client.post(REGISTER, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["photos"] == [
        "empty-one.jpg: The submitted file is empty."
    ]
    assert not Cooperative.objects.exists()
    assert files_under(media_root) == []


def test_more_women_than_members_is_refused_beside_the_field(client, applicant, region):
    client.force_login(applicant)

    response = client.post(REGISTER, profile_data(region, women_member_count="30"))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["women_member_count"] == [
        "The women members cannot be more than all the members (24)."
    ]
    assert 'value="30"' in response.content.decode()
    assert not Cooperative.objects.exists()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1850", "Give a year between 1900 and {this_year}."),
        ("{next_year}", "Give a year between 1900 and {this_year}."),
        ("two thousand", "Enter a whole number."),
    ],
)
def test_an_impossible_founding_year_is_refused(client, applicant, region, year, message):
    client.force_login(applicant)
    this_year = timezone.now().year
    years = {"this_year": this_year, "next_year": this_year + 1}

    response = client.post(REGISTER, profile_data(region, founded_year=year.format(**years)))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["founded_year"] == [message.format(**years)]
    assert not Cooperative.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"region": "999999"}, "region"),
        ({"region": "'; DROP TABLE artisans_cooperative; --"}, "region"),
        ({"member_count": "-3"}, "member_count"),
        ({"member_count": "0", "women_member_count": "0"}, "member_count"),
        ({"legal_form": "emirate"}, "legal_form"),
        ({"name": ""}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"phone": "<script>alert(1)</script>"}, "phone"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_hostile_or_missing_input_is_a_400_and_writes_nothing(
    client, applicant, region, changes, field
):
    client.force_login(applicant)

    response = client.post(REGISTER, profile_data(region, **changes))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.context["form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Cooperative.objects.exists()


def test_an_arabic_name_gets_a_slug_and_a_second_one_another(client, applicant, region):
    client.force_login(applicant)

    client.post(REGISTER, profile_data(region, name="تعاونية تيفاوين"))
    client.post(REGISTER, profile_data(region, name="تعاونية الأطلس"))

    slugs = list(Cooperative.objects.order_by("pk").values_list("name", "slug"))
    assert slugs == [("تعاونية تيفاوين", "cooperative"), ("تعاونية الأطلس", "cooperative-2")]
    assert Membership.objects.filter(user=applicant).count() == 2


def test_a_taken_slug_gets_the_next_free_number():
    CooperativeFactory(name="Atlas", slug="atlas")
    CooperativeFactory(name="Atlas 2", slug="atlas-2")
    CooperativeFactory(name="Atlas Blue", slug="atlas-blue")

    def unique_slug(name: str) -> str:
        return free_slug(
            name,
            among=Cooperative.objects.all(),
            fallback=FALLBACK_SLUG,
            base_length=SLUG_BASE_LENGTH,
        )

    assert unique_slug("Atlas") == "atlas-3"
    assert unique_slug("Atlas Blue") == "atlas-blue-2"
    assert unique_slug("Tifawin") == "tifawin"


def test_a_failure_after_the_files_are_written_leaves_neither_row_nor_file(
    client, applicant, region, media_root, mailoutbox, monkeypatch
):
    def refuse(**fields):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Membership.objects, "create", refuse)
    client.force_login(applicant)
    client.raise_request_exception = True
    data = profile_data(
        region, logo=upload(encoded(), "logo.jpg"), photos=[upload(encoded(), "loom.jpg")]
    )

    with pytest.raises(RuntimeError):
        client.post(REGISTER, data)

    assert not Cooperative.objects.exists()
    assert not CooperativePhoto.objects.exists()
    assert files_under(media_root) == []
    assert not any(applicant.email in mail.to for mail in mailoutbox)  # no receipt
    assert not any("New cooperative" in mail.subject for mail in mailoutbox)


def test_register_needs_a_signed_in_user(client, region):
    response = client.post(REGISTER, profile_data(region))

    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert not Cooperative.objects.exists()


def test_register_refuses_a_post_without_csrf_token(applicant, region):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)

    response = client.post(REGISTER, profile_data(region))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Cooperative.objects.exists()


# --- the way in -------------------------------------------------------------------------


def test_home_welcomes_someone_without_a_cooperative(client, applicant):
    client.force_login(applicant)

    response = client.get("/en/workspace/")

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Register your cooperative" in page
    assert reverse("workspace:register") in page
    assert "you need an invitation from one of its owners" in page


def test_home_takes_a_member_of_one_cooperative_straight_to_it(client):
    membership = MembershipFactory(role=MembershipRole.MEMBER)
    client.force_login(membership.user)

    response = client.get("/en/workspace/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("workspace:dashboard", args=[membership.cooperative_id])


def test_home_lets_a_member_of_several_cooperatives_choose(client, user):
    first = MembershipFactory(user=user, cooperative__name="Atlas Weavers")
    second = MembershipFactory(user=user, cooperative__name="Zellige of Fes")
    client.force_login(user)

    response = client.get("/en/workspace/")

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert page.index("Atlas Weavers") < page.index("Zellige of Fes")
    for membership in (first, second):
        assert reverse("workspace:dashboard", args=[membership.cooperative_id]) in page


# --- told by mail either way --------------------------------------------------------------


def test_a_pending_cooperative_suspended_is_told_its_registration_was_not_accepted(
    mailoutbox, django_capture_on_commit_callbacks
):
    cooperative = CooperativeFactory(status=CooperativeStatus.PENDING, name="Tifawin")
    owner = MembershipFactory(cooperative=cooperative, user__language="en").user

    with django_capture_on_commit_callbacks(execute=True):
        suspend_cooperative(
            cooperative, by=UserFactory(is_staff=True), reason="The registration number is wrong."
        )

    (mail,) = mailoutbox
    assert mail.to == [owner.email]
    assert mail.subject == "Tifawin's registration on Souk was not accepted"
    assert "could not accept it" in mail.body
    assert "The registration number is wrong." in mail.body
    assert "reply to this mail with the missing or corrected information" in mail.body
    assert "suspend" not in mail.body.lower()
    assert Cooperative.objects.get().status == CooperativeStatus.SUSPENDED


def test_a_verified_cooperative_suspended_is_still_told_it_is_suspended(
    mailoutbox, django_capture_on_commit_callbacks
):
    cooperative = CooperativeFactory(status=CooperativeStatus.VERIFIED, name="Tifawin")
    MembershipFactory(cooperative=cooperative, user__language="en")

    with django_capture_on_commit_callbacks(execute=True):
        suspend_cooperative(cooperative, by=UserFactory(is_staff=True), reason="Fake goods.")

    (mail,) = mailoutbox
    assert mail.subject == "Tifawin is suspended on Souk"
    assert "not accepted" not in mail.body


# --- profile ----------------------------------------------------------------------------


@pytest.fixture
def owner(db):
    return MembershipFactory(role=MembershipRole.OWNER, cooperative__name="Atlas Weavers")


def profile_url(cooperative) -> str:
    return reverse("workspace:profile", args=[cooperative.pk])


def test_the_owner_edits_the_profile_and_the_public_pages_forget_the_old_one(
    client, owner, region, django_capture_on_commit_callbacks
):
    cooperative = owner.cooperative
    client.force_login(owner.user)
    version = listings_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            profile_url(cooperative), profile_data(region, name="Atlas Weavers of Azilal")
        )

    assert response.status_code == HTTPStatus.FOUND
    cooperative.refresh_from_db()
    assert cooperative.name == "Atlas Weavers of Azilal"
    assert cooperative.city == "Taliouine"
    assert cooperative.slug == "atlas-weavers"  # public addresses do not move
    assert cooperative.status == CooperativeStatus.VERIFIED
    assert listings_version() > version
    assert "Profile saved." in client.get(response["Location"]).content.decode()


def test_an_invalid_profile_keeps_what_was_typed_and_changes_nothing(client, owner, region):
    client.force_login(owner.user)

    response = client.post(
        profile_url(owner.cooperative),
        profile_data(region, name="Renamed", member_count="5", women_member_count="6"),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "The women members cannot be more than all the members (5)." in page
    assert 'value="Renamed"' in page
    assert '<p class="workspace__name" dir="auto">Atlas Weavers</p>' in page
    owner.cooperative.refresh_from_db()
    assert owner.cooperative.name == "Atlas Weavers"


@pytest.fixture
def save_profile(client, owner, region, django_capture_on_commit_callbacks):
    """Post the owner's profile page, profile_data with changes, and run what waits for the
    commit."""
    client.force_login(owner.user)

    def save(**changes) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(profile_url(owner.cooperative), profile_data(region, **changes))
        assert response.status_code == HTTPStatus.FOUND

    return save


def test_a_new_story_alone_leaves_the_products_search_text_alone(owner, save_profile):
    save_profile()
    product = ProductFactory(cooperative=owner.cooperative)
    Product.objects.filter(pk=product.pk).update(search_document="as it was")

    save_profile(story="Weavers of the Azilal valleys since 1990.")

    owner.cooperative.refresh_from_db()
    assert owner.cooperative.story == "Weavers of the Azilal valleys since 1990."
    assert Product.objects.get(pk=product.pk).search_document == "as it was"


def test_a_new_name_rebuilds_the_products_search_text(owner, save_profile):
    save_profile()
    product = ProductFactory(cooperative=owner.cooperative)
    Product.objects.filter(pk=product.pk).update(search_document="as it was")

    save_profile(name="Tifawin Weavers of Azilal")

    document = Product.objects.get(pk=product.pk).search_document
    assert "tifawin weavers of azilal" in document
    assert "as it was" not in document


def test_a_profile_saved_unchanged_writes_nothing(owner, save_profile):
    save_profile()
    owner.cooperative.refresh_from_db()
    saved_at = owner.cooperative.updated_at
    version = listings_version()

    save_profile()

    owner.cooperative.refresh_from_db()
    assert owner.cooperative.updated_at == saved_at
    assert listings_version() == version  # the cached public pages are still right


def test_a_failed_profile_save_keeps_the_old_logo_and_leaves_no_new_file(
    owner, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    cooperative = owner.cooperative
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(cooperative, profile={}, logo=ContentFile(encoded(), name="first.jpg"))
    first = cooperative.logo.name

    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Cooperative, "save", refuse)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        update_profile(
            cooperative, profile={"name": "Renamed"}, logo=ContentFile(encoded(), name="new.jpg")
        )

    assert Cooperative.objects.get().logo.name == first
    assert files_under(media_root) == [media_root / first]


def test_replacing_the_logo_deletes_the_old_file_once_committed(
    client, owner, region, media_root, django_capture_on_commit_callbacks
):
    client.force_login(owner.user)
    url = profile_url(owner.cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, profile_data(region, logo=upload(encoded(), "first.jpg")))
    owner.cooperative.refresh_from_db()
    first = owner.cooperative.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, profile_data(region, logo=upload(encoded("PNG"), "second.png")))

    owner.cooperative.refresh_from_db()
    second = owner.cooperative.logo.name
    assert second.endswith(".jpg")
    assert second != first
    assert files_under(media_root) == [media_root / second]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, profile_data(region, **{"logo-clear": "on"}))

    owner.cooperative.refresh_from_db()
    assert owner.cooperative.logo.name == ""
    assert files_under(media_root) == []


def test_a_member_cannot_open_the_profile_and_a_stranger_does_not_see_it(client, owner, region):
    member = MembershipFactory(cooperative=owner.cooperative, role=MembershipRole.MEMBER)
    stranger = MembershipFactory(role=MembershipRole.OWNER)
    url = profile_url(owner.cooperative)

    client.force_login(member.user)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert client.post(url, profile_data(region, name="Mine")).status_code == HTTPStatus.FORBIDDEN
    client.force_login(stranger.user)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND

    owner.cooperative.refresh_from_db()
    assert owner.cooperative.name == "Atlas Weavers"


def test_a_suspended_cooperative_cannot_change_its_profile(client, owner, region):
    Cooperative.objects.filter(pk=owner.cooperative_id).update(status=CooperativeStatus.SUSPENDED)
    client.force_login(owner.user)

    response = client.post(profile_url(owner.cooperative), profile_data(region, name="New"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "suspended" in response.content.decode()
    assert Cooperative.objects.get().name == "Atlas Weavers"


def test_profile_page_queries_do_not_grow_with_photos(client, owner, django_assert_num_queries):
    url = profile_url(owner.cooperative)
    CooperativePhoto.objects.create(cooperative=owner.cooperative, image="cooperatives/a.jpg")
    client.force_login(owner.user)
    client.get(url)

    with django_assert_num_queries(5):  # session, user, memberships, photos, regions
        client.get(url)
    for n in range(11):
        CooperativePhoto.objects.create(cooperative=owner.cooperative, image=f"c/{n}.jpg")
    with django_assert_num_queries(5):
        client.get(url)


# --- photos -----------------------------------------------------------------------------


def photos_url(cooperative) -> str:
    return reverse("workspace:add_cooperative_photos", args=[cooperative.pk])


def test_the_owner_adds_several_photos_at_once(
    client, owner, media_root, django_capture_on_commit_callbacks
):
    CooperativePhoto.objects.create(cooperative=owner.cooperative, image="old.jpg", position=4)
    client.force_login(owner.user)
    version = listings_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            photos_url(owner.cooperative),
            {
                "photos": [upload(encoded(), "a.jpg"), upload(encoded("PNG"), "b.png")],
                "alt_text": "Looms",
            },
        )

    assert response.status_code == HTTPStatus.FOUND
    added = list(owner.cooperative.photos.filter(alt_text="Looms").order_by("position"))
    assert [photo.position for photo in added] == [5, 6]
    assert all((media_root / photo.image.name).is_file() for photo in added)
    assert listings_version() > version
    assert "Photos added: 2." in client.get(response["Location"]).content.decode()


def test_a_bad_photo_adds_none_of_them(client, owner, media_root):
    client.force_login(owner.user)

    response = client.post(
        photos_url(owner.cooperative),
        {"photos": [upload(encoded(), "a.jpg"), upload(b"GIF89a", "b.gif")]},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "b.gif: This file is not a JPEG, PNG or WebP image." in response.content.decode()
    assert not CooperativePhoto.objects.exists()
    assert files_under(media_root) == []


def test_no_file_or_too_many_photos_is_refused(client, owner, media_root):
    for n in range(11):
        CooperativePhoto.objects.create(cooperative=owner.cooperative, image=f"c/{n}.jpg")
    client.force_login(owner.user)

    empty = client.post(photos_url(owner.cooperative), {"alt_text": "Nothing"})
    too_many = client.post(
        photos_url(owner.cooperative),
        {"photos": [upload(encoded(), "a.jpg"), upload(encoded(), "b.jpg")]},
    )

    assert empty.status_code == HTTPStatus.BAD_REQUEST
    assert "This field is required." in empty.content.decode()
    assert too_many.status_code == HTTPStatus.BAD_REQUEST
    assert "A cooperative shows at most 12 photos and yours has 11" in too_many.content.decode()
    assert CooperativePhoto.objects.count() == 11
    assert files_under(media_root) == []


def test_the_owner_deletes_a_photo_and_its_file(
    client, owner, media_root, django_capture_on_commit_callbacks
):
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(photos_url(owner.cooperative), {"photos": [upload(encoded(), "a.jpg")]})
    photo = CooperativePhoto.objects.get()
    url = reverse("workspace:delete_cooperative_photo", args=[owner.cooperative_id, photo.pk])

    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == HTTPStatus.FOUND
    assert not CooperativePhoto.objects.exists()
    assert files_under(media_root) == []


def test_another_cooperatives_photo_is_a_404(client, owner):
    theirs = CooperativePhoto.objects.create(cooperative=CooperativeFactory(), image="t.jpg")
    client.force_login(owner.user)

    url = reverse("workspace:delete_cooperative_photo", args=[owner.cooperative_id, theirs.pk])

    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert CooperativePhoto.objects.filter(pk=theirs.pk).exists()
