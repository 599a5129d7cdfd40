from http import HTTPStatus

import pytest

from marketplace.forms import CheckoutForm
from marketplace.models import Order
from tests.artisans.test_forms import INVALID_PHONES, PHONE_MESSAGES, VALID_PHONES
from tests.factories import ProductFactory
from tests.marketplace.test_checkout import ADDRESS, CHECKOUT, add

pytestmark = pytest.mark.django_db


# The same table as the cooperative's phone: one rule for both.
@pytest.mark.parametrize(("typed", "stored"), VALID_PHONES)
def test_the_buyers_phone_accepts_numbers_as_people_type_them(typed, stored):
    form = CheckoutForm(ADDRESS | {"phone": typed})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored
    assert form.details().phone == stored


@pytest.mark.parametrize(("typed", "code"), INVALID_PHONES)
def test_the_buyers_phone_refuses_letters_and_wrong_lengths(typed, code):
    form = CheckoutForm(ADDRESS | {"phone": typed})

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["phone"]] == [code]
    assert form.errors["phone"] == [PHONE_MESSAGES[code]]


def test_the_buyers_phone_is_required():
    form = CheckoutForm(ADDRESS | {"phone": ""})

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["phone"]] == ["required"]


def test_a_phone_typed_in_arabic_digits_goes_on_the_order_in_0_9(client):
    product = ProductFactory(stock=2)
    add(client, product)

    refused = client.post(CHECKOUT, ADDRESS | {"phone": "١٢٣٤٥"})
    placed = client.post(CHECKOUT, ADDRESS | {"phone": "+٢١٢ ٦ ١٢ ٣٤ ٥٦ ٧٨"})

    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert PHONE_MESSAGES["phone_too_short"] in refused.content.decode()
    assert placed.status_code == HTTPStatus.FOUND
    assert Order.objects.get().phone == "+212 6 12 34 56 78"
