"""Template tags and filters for the buyer pages: prices in dirhams, weights, language links."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.core.paginator import Page
from django.template.defaultfilters import floatformat
from django.urls import reverse, translate_url
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _

from artisans import browsing

register = template.Library()

# The dirham's symbol is locale data (as in CLDR), not interface copy: Arabic readers expect
# "درهم", French ones "DH", everyone else the ISO code.
CURRENCY_UNITS = {"ar": "درهم", "fr": "DH"}


@register.filter
def mad(amount: Decimal | int | None) -> str:
    """Format an amount of dirhams for the active language: 4,500.00 MAD, 4 500,00 DH."""
    if amount is None or amount == "":
        return ""
    unit = CURRENCY_UNITS.get(get_language() or "", "MAD")
    # floatformat keeps Decimal precision and applies the locale's separators ("g": grouping).
    return f"{floatformat(amount, '2g')}\u00a0{unit}"


@register.filter
def weight(grams: int | None) -> str:
    """Format a weight in grams as g below a kilogram, else as kg with up to 2 decimals."""
    if grams is None or grams == "":
        return ""
    if grams < 1000:
        return gettext("%(value)s g") % {"value": floatformat(grams, "0g")}
    kilograms = Decimal(grams) / 1000
    return gettext("%(value)s kg") % {"value": floatformat(kilograms.normalize(), "-2g")}


@register.filter
def page_range(page: Page) -> list[int | None]:
    """List the page numbers worth a link around the current one; None marks a gap."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return [number if isinstance(number, int) else None for number in numbers]


FILTER_LABELS = {
    "q": _("search words"),
    "branch": _("craft branch"),
    "craft": _("craft"),
    "region": _("region"),
    "label": _("label"),
    "price_min": _("lowest price"),
    "price_max": _("highest price"),
    "in_stock": _("in stock"),
    "made_to_order": _("made to order"),
    "sort": _("sort order"),
    "page": _("page"),
}


@register.filter
def filter_label(name: str) -> str:
    """Name a catalog filter (a query-string parameter) the way the buyer sees it."""
    return FILTER_LABELS.get(name, name)


@register.simple_tag
def cache_seconds() -> int:
    """How long a page fragment stays cached: {% cache_seconds as ttl %}{% cache ttl ... %}."""
    return settings.SOUK_CATALOG_CACHE_SECONDS


@register.simple_tag
def listings_version() -> int:
    """The version that cached fragments showing products are keyed with."""
    return browsing.listings_version()


@register.simple_tag(takes_context=True)
def page_in_language(context: template.Context, language: str) -> str:
    """This page's address in another language, query string kept; its home if it has none."""
    path = context["request"].get_full_path()
    translated = translate_url(path, language)
    if translated == path and language != get_language():  # not a page of ours (a 404)
        with override(language):
            return reverse("marketplace:home")
    return translated


@register.simple_tag
def visitor_csrf_token() -> str:
    """The CSRF token of a page cached for visitors: filled per visitor as the page leaves."""
    return browsing.CSRF_PLACEHOLDER
