"""Prices of a cart or an order: shipping per cooperative's parcel, and MAD into EUR or USD.

Prices are kept in dirhams. The cart page and the order use the same quote(), so the total a
buyer sees in the cart is the total of the order placed from it. Amounts in another currency
are each converted once (price / dirhams per unit, rounded half up to the cent) and then added:
an order's total is exactly the sum of the amounts it shows, per line and per parcel.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from artisans.models import Cooperative
from catalog.models import Product
from marketplace.models import Currency, ExchangeRate, Shipment, ShippingRate, ShippingZone

CENT = Decimal("0.01")

# The European Union, the United Kingdom, the EFTA states and the rest of geographic Europe
# a parcel reaches at the European rate. Anything not listed here or below is "world".
EUROPE = frozenset(
    # European Union
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"}
    | {"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
    # United Kingdom, EFTA, the small states, the Balkans and the east
    | {"GB", "CH", "NO", "IS", "LI", "AD", "MC", "SM", "VA", "GI"}
    | {"AL", "BA", "ME", "MK", "RS", "MD", "UA"}
)
NORTH_AMERICA = frozenset({"US", "CA", "MX"})


class TooHeavy(ValidationError):
    """No shipping rate of the zone takes a parcel this heavy."""


def shipping_zone(country: str) -> ShippingZone:
    """Return the shipping zone of a destination country (ISO 3166 alpha-2 code)."""
    code = str(country).upper()
    if code == "MA":
        return ShippingZone.MOROCCO
    if code in EUROPE:
        return ShippingZone.EUROPE
    if code in NORTH_AMERICA:
        return ShippingZone.NORTH_AMERICA
    return ShippingZone.WORLD


def exchange_rate(currency: str) -> Decimal:
    """Return how many dirhams one unit of the currency costs (1 for MAD), as the admin set it."""
    if currency == Currency.MAD:
        return Decimal(1)
    rate = None
    if currency in Currency.values:
        rate = (
            ExchangeRate.objects.filter(currency=currency)
            .values_list("mad_per_unit", flat=True)
            .first()
        )
    if rate is None:
        raise ValidationError(
            gettext("Prices in %(currency)s are not available at the moment."),
            code="no_exchange_rate",
            params={"currency": currency},
        )
    return rate


def priced_currencies() -> list[str]:
    """The currencies prices can be shown in: MAD, and those the admin keeps a rate for."""
    with_rate = set(ExchangeRate.objects.values_list("currency", flat=True))
    return [code for code in Currency.values if code == Currency.MAD or code in with_rate]


def convert(amount_mad: Decimal, mad_per_unit: Decimal) -> Decimal:
    """Convert dirhams at the given rate, rounded half up to the cent."""
    return (Decimal(amount_mad) / Decimal(mad_per_unit)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ShippingTable:
    """The weight brackets of one zone: (up to grams, price in MAD), lightest first."""

    zone: str
    brackets: tuple[tuple[int, Decimal], ...]

    def price(self, weight_grams: int, *, cooperative: str = "") -> Decimal:
        """Price of one parcel: the first bracket that takes its weight, or TooHeavy."""
        if not self.brackets:
            raise ValidationError(
                gettext("Souk does not ship to this destination yet."), code="no_shipping"
            )
        for max_weight_grams, price in self.brackets:
            if weight_grams <= max_weight_grams:
                return price
        raise TooHeavy(
            gettext(
                "The parcel from %(cooperative)s weighs %(kilograms)s kg: too heavy to ship "
                "to this destination. Lower the quantities to continue."
            ),
            code="too_heavy",
            params={"cooperative": cooperative, "kilograms": round(weight_grams / 1000, 1)},
        )


def shipping_table(zone: str) -> ShippingTable:
    """Read the zone's shipping rates (one query)."""
    rates = ShippingRate.objects.filter(zone=zone).order_by("max_weight_grams")
    return ShippingTable(zone=zone, brackets=tuple(rates.values_list("max_weight_grams", "price")))


@dataclass(frozen=True)
class QuoteLine:
    product: Product
    quantity: int
    unit_price_mad: Decimal
    unit_price: Decimal  # in the quote's currency
    weight_grams: int  # of one piece

    @property
    def total_mad(self) -> Decimal:
        return self.unit_price_mad * self.quantity

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Parcel:
    """What one cooperative sends: its lines, their weight, and what shipping them costs."""

    cooperative: Cooperative
    lines: tuple[QuoteLine, ...]
    weight_grams: int
    shipping_mad: Decimal | None  # None: cannot be shipped (see error)
    shipping: Decimal | None
    error: ValidationError | None = None

    @property
    def subtotal_mad(self) -> Decimal:
        return sum((line.total_mad for line in self.lines), Decimal(0))

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Quote:
    """What a set of products costs, shipped to a country, in a currency."""

    currency: str
    mad_per_unit: Decimal
    zone: str
    parcels: tuple[Parcel, ...]

    @property
    def subtotal_mad(self) -> Decimal:
        return sum((parcel.subtotal_mad for parcel in self.parcels), Decimal(0))

    @property
    def shipping_mad(self) -> Decimal:
        return sum((parcel.shipping_mad or Decimal(0) for parcel in self.parcels), Decimal(0))

    @property
    def total_mad(self) -> Decimal:
        return self.subtotal_mad + self.shipping_mad

    @property
    def subtotal(self) -> Decimal:
        return sum((parcel.subtotal for parcel in self.parcels), Decimal(0))

    @property
    def shipping(self) -> Decimal:
        return sum((parcel.shipping or Decimal(0) for parcel in self.parcels), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping

    @property
    def errors(self) -> list[ValidationError]:
        """Why it cannot be shipped as it is (a parcel too heavy), if it cannot."""
        return [parcel.error for parcel in self.parcels if parcel.error]


def quote(items: Iterable[tuple[Product, int]], *, country: str, currency: str) -> Quote:
    """Price products (with their cooperatives loaded) and quantities for a destination.

    Two queries: the exchange rate and the zone's shipping rates. Products without a weight
    count as weightless: the seller's form asks for it, customs need it.
    """
    mad_per_unit = exchange_rate(currency)
    zone = shipping_zone(country)
    table = shipping_table(zone)
    by_cooperative: dict[int, list[QuoteLine]] = {}
    for product, quantity in items:
        by_cooperative.setdefault(product.cooperative_id, []).append(
            QuoteLine(
                product=product,
                quantity=quantity,
                unit_price_mad=product.price,
                unit_price=convert(product.price, mad_per_unit),
                weight_grams=product.weight_grams or 0,
            )
        )
    parcels = []
    for lines in by_cooperative.values():
        cooperative = lines[0].product.cooperative
        weight = sum(line.weight_grams * line.quantity for line in lines)
        try:
            shipping_mad = table.price(weight, cooperative=cooperative.name)
        except ValidationError as error:  # too heavy, or no rate for the zone
            parcels.append(Parcel(cooperative, tuple(lines), weight, None, None, error))
        else:
            shipping = convert(shipping_mad, mad_per_unit)
            parcels.append(Parcel(cooperative, tuple(lines), weight, shipping_mad, shipping))
    return Quote(currency=currency, mad_per_unit=mad_per_unit, zone=zone, parcels=tuple(parcels))


def shipment_amounts(shipment: Shipment, *, mad_per_unit: Decimal) -> tuple[Decimal, Decimal]:
    """A placed shipment's (subtotal, shipping) in its order's currency, as the order adds them.

    Its lines' frozen unit prices times their quantities, and its shipping converted at the
    order's rate; the shipments' amounts add up to the order's total exactly.
    """
    subtotal = sum((line.unit_price * line.quantity for line in shipment.lines.all()), Decimal(0))
    return subtotal, convert(shipment.shipping_mad, mad_per_unit)


def shipment_total(shipment: Shipment) -> Decimal:
    """What a placed shipment cost the buyer in the order's currency, shipping included."""
    subtotal, shipping = shipment_amounts(shipment, mad_per_unit=shipment.order.mad_per_unit)
    return subtotal + shipping
