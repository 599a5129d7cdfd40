"""Template filters for carts and orders: amounts in the buyer's currency."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format

from catalog.templatetags.catalog_tags import mad
from marketplace import cart
from marketplace.models import Currency

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """Format an amount in its currency for the active language: 41.47 EUR, 450,00 DH."""
    if amount is None or amount == "":
        return ""
    if currency == Currency.MAD:
        return mad(amount)
    return f"{floatformat(amount, '2g')}\u00a0{currency}"


register.simple_tag(cart.max_quantity, name="max_quantity")


@register.filter
def line_total(line) -> Decimal:
    """An order line's amount in the order's currency: unit price times quantity."""
    return line.unit_price * line.quantity


@register.filter
def line_total_mad(line) -> Decimal:
    """An order line's amount in dirhams."""
    return line.unit_price_mad * line.quantity


@register.filter
def rate(value: Decimal) -> str:
    """An exchange rate with the digits it has, no trailing zeros: 10.85, not 10.850000."""
    return number_format(Decimal(value).normalize())
