from functools import partial

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from artisans.browsing import CachedCountPaginator, cached_for_visitors
from catalog.browsing import (
    UNSHOWN_FIELDS,
    canonical_query,
    describe_selection,
    filter_choices,
    product_page,
    visible_products,
)
from catalog.search import SortOrder, parse_catalog_filters, search_catalog

# Relevance only means something when the buyer searched for words.
BROWSE_SORT_ORDERS = [choice for choice in SortOrder.choices if choice[0] != SortOrder.RELEVANCE]


@cached_for_visitors
def product_list(request: HttpRequest) -> HttpResponse:
    filters = parse_catalog_filters(request.GET)
    query = canonical_query(filters)
    products = search_catalog(filters).for_card().defer(*UNSHOWN_FIELDS)
    paginator = CachedCountPaginator(
        products, settings.SOUK_PRODUCTS_PER_PAGE, count_key=filters.cache_key
    )
    # get_page() clamps: a page that is not a number shows the first, one past the end the last.
    page = paginator.get_page(request.GET.get("page"))
    choices = filter_choices()
    context = {
        "filters": filters,
        "query": query,
        "choices": choices,
        "selected": describe_selection(filters, choices),
        "page_obj": page,
        "sort_orders": SortOrder.choices if filters.words else BROWSE_SORT_ORDERS,
    }
    return render(request, "catalog/product_list.html", context)


@cached_for_visitors
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A light query answers "is it visible?" (else 404) on every request; the rest is read
    # only when the page's cached fragment has expired (the template calls `page`).
    product = get_object_or_404(visible_products(), slug=slug)
    context = {"product": product, "page": partial(product_page, product.pk)}
    return render(request, "catalog/product_detail.html", context)
