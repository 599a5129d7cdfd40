"""Template helpers of the reviews: stars, the buyer's country, a line's review state."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django_countries import countries

register = template.Library()


@register.simple_tag
def stars(rating: Decimal | int | None) -> str:
    """Five stars, the rating's filled, read aloud as "4.5 out of 5 stars"."""
    rating = Decimal(rating or 0)
    filled = int(rating.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    label = gettext("%(rating)s out of 5 stars") % {
        "rating": number_format(rating, decimal_pos=0 if rating == filled else 1)
    }
    return format_html(
        '<span class="stars" role="img" aria-label="{}">'
        '<span class="stars__on" aria-hidden="true">{}</span>'
        '<span class="stars__off" aria-hidden="true">{}</span></span>',
        label,
        "★" * filled,
        "★" * (5 - filled),
    )


@register.filter
def country_name(code: str) -> str:
    """The country's name in the active language ("" for no country)."""
    return countries.name(code) if code else ""


@register.filter
def review_state(states: dict, line) -> object:
    """The order page's review state of one line (catalog.reviews.order_review_states)."""
    return states.get(line.pk) if states else None
