from http import HTTPStatus

import pytest
from django.urls import reverse

from artisans.forms import CooperativeProfileForm
from artisans.models import Cooperative, LegalForm, MembershipRole
from tests.factories import MembershipFactory, RegionFactory

pytestmark = pytest.mark.django_db

# Phone numbers as typed, and what is stored; the checkout's form reads the same table
# (tests/marketplace/test_forms.py): one rule for a cooperative's phone and a buyer's.
VALID_PHONES = [
    ("+212 6 12 34 56 78", "+212 6 12 34 56 78"),
    ("+212-612-345-678", "+212-612-345-678"),
    ("0612345678", "0612345678"),
    ("+33 (0)6 12 34 56 78", "+33 (0)6 12 34 56 78"),
    ("06.12.34.56.78", "06.12.34.56.78"),
    ("0524/43 21 09", "0524/43 21 09"),
    ("  +1  212 555\t0100 ", "+1 212 555 0100"),
    ("٠٦١٢٣٤٥٦٧٨", "0612345678"),
    ("+٢١٢ ٦ ١٢ ٣٤ ٥٦ ٧٨", "+212 6 12 34 56 78"),
    ("۰۶۱۲۳۴۵۶۷۸", "0612345678"),  # a Persian keyboard's digits
    ("123456", "123456"),  # 6 digits: the shortest
    ("+123 456 789 012 345", "+123 456 789 012 345"),  # 15 digits: the longest
]
INVALID_PHONES = [
    ("call me", "invalid_phone"),
    ("06 12 34 AB 78", "invalid_phone"),
    ("+212 6 12 34 56 78 ext 4", "invalid_phone"),
    ("٠٦١٢ ب ٣٤٥٦٧٨", "invalid_phone"),  # an Arabic letter among the digits
    ("++212 612345678", "invalid_phone"),
    ("212+612345678", "invalid_phone"),
    ("<script>alert(1)</script>", "invalid_phone"),
    ("12345", "phone_too_short"),
    ("٠٦١٢٣", "phone_too_short"),
    ("- - -", "phone_too_short"),
    ("+1234 5678 9012 3456", "phone_too_long"),
]
PHONE_MESSAGES = {
    "invalid_phone": "Enter a phone number with its country code, for example +212 6 12 34 56 78.",
    "phone_too_short": "This number is too short: a phone number has at least 6 digits.",
    "phone_too_long": "This number is too long: a phone number has at most 15 digits.",
}


def profile_form(phone: str) -> CooperativeProfileForm:
    data = {
        "name": "Tifawin",
        "legal_form": LegalForm.COOPERATIVE,
        "region": RegionFactory().pk,
        "city": "Taliouine",
        "member_count": "24",
        "women_member_count": "20",
        "phone": phone,
    }
    return CooperativeProfileForm(data)


@pytest.mark.parametrize(("typed", "stored"), VALID_PHONES)
def test_the_cooperatives_phone_accepts_numbers_as_people_type_them(typed, stored):
    form = profile_form(typed)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored


@pytest.mark.parametrize(("typed", "code"), INVALID_PHONES)
def test_the_cooperatives_phone_refuses_letters_and_wrong_lengths(typed, code):
    form = profile_form(typed)

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["phone"]] == [code]
    assert form.errors["phone"] == [PHONE_MESSAGES[code]]


def test_the_cooperatives_phone_may_be_left_empty():
    form = profile_form("   ")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == ""


def test_a_phone_typed_in_arabic_digits_is_saved_in_0_9(client):
    owner = MembershipFactory(role=MembershipRole.OWNER, cooperative__phone="")
    cooperative = owner.cooperative
    client.force_login(owner.user)
    profile = reverse("workspace:profile", args=[cooperative.pk])
    data = {
        "name": cooperative.name,
        "legal_form": cooperative.legal_form,
        "region": cooperative.region_id,
        "city": cooperative.city,
        "member_count": cooperative.member_count,
        "women_member_count": cooperative.women_member_count,
    }

    saved = client.post(profile, data | {"phone": "+٢١٢ ٥ ٢٤ ٠٠ ٠٠ ٠٠"})
    refused = client.post(profile, data | {"phone": "05 24 CALL ME"})

    assert saved.status_code == HTTPStatus.FOUND
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert PHONE_MESSAGES["invalid_phone"] in refused.content.decode()
    assert Cooperative.objects.get().phone == "+212 5 24 00 00 00"
