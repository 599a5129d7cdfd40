from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.models import ExchangeRate, ShippingRate, ShippingZone
from marketplace.pricing import (
    TooHeavy,
    convert,
    exchange_rate,
    quote,
    shipping_table,
    shipping_zone,
)
from tests.factories import CooperativeFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("MA", ShippingZone.MOROCCO),
        ("FR", ShippingZone.EUROPE),
        ("ES", ShippingZone.EUROPE),
        ("GB", ShippingZone.EUROPE),
        ("CH", ShippingZone.EUROPE),
        ("NO", ShippingZone.EUROPE),
        ("US", ShippingZone.NORTH_AMERICA),
        ("CA", ShippingZone.NORTH_AMERICA),
        ("MX", ShippingZone.NORTH_AMERICA),
        ("JP", ShippingZone.WORLD),
        ("SN", ShippingZone.WORLD),
        ("BR", ShippingZone.WORLD),
    ],
)
def test_destination_country_picks_the_shipping_zone(country, zone):
    assert shipping_zone(country) == zone


def test_every_install_has_default_rates():
    rates = {(rate.zone, rate.max_weight_grams): rate.price for rate in ShippingRate.objects.all()}

    assert rates[("morocco", 1000)] == Decimal("45.00")
    assert rates[("europe", 5000)] == Decimal("420.00")
    assert rates[("north_america", 30000)] == Decimal("2100.00")
    assert rates[("world", 1000)] == Decimal("300.00")
    assert len(rates) == 12
    assert dict(ExchangeRate.objects.values_list("currency", "mad_per_unit")) == {
        "EUR": Decimal("10.850000"),
        "USD": Decimal("10.050000"),
    }


@pytest.mark.parametrize(
    ("grams", "price"),
    [(0, "180.00"), (1000, "180.00"), (1001, "420.00"), (5000, "420.00"), (30000, "1400.00")],
)
def test_a_parcel_takes_the_first_bracket_that_holds_its_weight(grams, price):
    assert shipping_table("europe").price(grams) == Decimal(price)


def test_a_parcel_heavier_than_every_bracket_is_too_heavy_to_ship():
    with pytest.raises(TooHeavy) as raised:
        shipping_table("europe").price(30001, cooperative="Tifawin")

    assert raised.value.code == "too_heavy"
    assert "Tifawin" in raised.value.messages[0]
    assert "too heavy to ship" in raised.value.messages[0]


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("450.00", "10.85", "41.47"),  # 41.4746...
        ("100.00", "10.05", "9.95"),  # 9.9502...
        ("0.05", "10", "0.01"),  # 0.005: half up
        ("0.04", "10", "0.00"),
        ("1085.00", "10.85", "100.00"),
        ("4500.00", "1", "4500.00"),
    ],
)
def test_conversion_divides_by_the_rate_and_rounds_half_up(amount, rate, expected):
    assert convert(Decimal(amount), Decimal(rate)) == Decimal(expected)


def test_an_unknown_currency_is_refused_with_a_clear_message():
    ExchangeRate.objects.filter(currency="USD").delete()

    with pytest.raises(ValidationError) as raised:
        exchange_rate("USD")

    assert raised.value.code == "no_exchange_rate"
    assert exchange_rate("MAD") == Decimal(1)


def test_quote_groups_by_cooperative_and_prices_each_parcel():
    tifawin, ouarzazate = CooperativeFactory(), CooperativeFactory()
    carpet = ProductFactory(cooperative=tifawin, price=Decimal("4500.00"), weight_grams=8000)
    cushion = ProductFactory(cooperative=tifawin, price=Decimal("300.00"), weight_grams=400)
    tagine = ProductFactory(cooperative=ouarzazate, price=Decimal("250.00"), weight_grams=900)

    priced = quote([(carpet, 1), (cushion, 2), (tagine, 1)], country="FR", currency="EUR")

    parcels = {parcel.cooperative: parcel for parcel in priced.parcels}
    assert parcels[tifawin].weight_grams == 8800
    assert parcels[tifawin].shipping_mad == Decimal("1400.00")
    assert parcels[ouarzazate].weight_grams == 900
    assert parcels[ouarzazate].shipping_mad == Decimal("180.00")
    assert priced.subtotal_mad == Decimal("5350.00")
    assert priced.total_mad == Decimal("6930.00")
    # Each amount converted once at 10.85, then added.
    assert priced.subtotal == Decimal("414.75") + 2 * Decimal("27.65") + Decimal("23.04")
    assert priced.shipping == Decimal("129.03") + Decimal("16.59")
    assert priced.total == priced.subtotal + priced.shipping


prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
rates = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("50"), places=6)


@given(amount=prices, rate=rates)
def test_conversion_is_the_exact_quotient_rounded_half_up_to_the_cent(amount, rate):
    exact = Fraction(amount) / Fraction(rate) * 100
    floor = exact.numerator // exact.denominator
    cents = floor + 1 if exact - floor >= Fraction(1, 2) else floor

    assert convert(amount, rate) == Decimal(cents) / 100
    assert convert(amount, rate).as_tuple().exponent == -2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        st.tuples(prices, st.integers(min_value=1, max_value=5), st.integers(0, 3000)),
        min_size=1,
        max_size=4,
    ),
    currency=st.sampled_from(["MAD", "EUR", "USD"]),
    country=st.sampled_from(["MA", "FR", "US", "JP"]),
)
def test_quote_totals_are_the_sums_of_what_it_shows(lines, currency, country):
    cooperative = CooperativeFactory()
    items = [
        (ProductFactory.build(cooperative=cooperative, price=price, weight_grams=grams), qty)
        for price, qty, grams in lines
    ]

    priced = quote(items, country=country, currency=currency)

    rate = priced.mad_per_unit
    assert priced.total_mad == priced.subtotal_mad + priced.shipping_mad
    assert priced.subtotal_mad == sum(price * qty for price, qty, _grams in lines)
    assert priced.total == priced.subtotal + priced.shipping
    assert priced.subtotal == sum(convert(price, rate) * qty for price, qty, _grams in lines)
    # Converting each part rounds each by at most half a cent.
    parts = sum(qty for _price, qty, _grams in lines) + len(priced.parcels)
    drift = abs(Fraction(priced.total) - Fraction(priced.total_mad) / Fraction(rate))
    assert drift <= Fraction(parts, 200)
    if currency == "MAD":
        assert priced.total == priced.total_mad


def test_a_zone_without_rates_says_souk_does_not_ship_there():
    ShippingRate.objects.filter(zone="world").delete()
    product = ProductFactory()

    priced = quote([(product, 1)], country="JP", currency="MAD")

    assert [error.code for error in priced.errors] == ["no_shipping"]
    assert "does not ship to this destination" in priced.errors[0].messages[0]
