from functools import partial

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render

from artisans.browsing import (
    CachedCountPaginator,
    cached_for_visitors,
    cooperative_page,
    listed_cooperatives,
    region_choices,
    visible_cooperatives,
)

# Imports point catalog → artisans, but the cooperative page shows catalog's reviews of its
# pieces: it reads the reader's choice and the section's version as the product page does.
from catalog.reviews import reviews_choice, reviews_version

COOPERATIVES_PER_PAGE = 24


@cached_for_visitors
def cooperative_list(request: HttpRequest) -> HttpResponse:
    regions = region_choices()
    asked = request.GET.get("region", "")
    # An unknown region is named back to the buyer and otherwise ignored.
    region = asked if asked in dict(regions) else ""
    cooperatives = listed_cooperatives(region=region)
    page = Paginator(cooperatives, COOPERATIVES_PER_PAGE).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)  # what pagination links carry: the valid region only
    if region:
        query["region"] = region
    context = {
        "page_obj": page,
        "query": query,
        "regions": regions,
        "region": region,
        "ignored_region": "" if region else asked,
    }
    return render(request, "artisans/cooperative_list.html", context)


@cached_for_visitors
def cooperative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A light query answers "is it verified?" (else 404) on every request; the rest is read
    # only when the page's cached fragment has expired (the template calls `full_cooperative`).
    cooperative = get_object_or_404(visible_cooperatives(), slug=slug)
    # Through the reverse relation: artisans does not import catalog's models.
    products = (
        cooperative.products.published()
        .for_card(cooperative_badges=False)  # the cooperative's own show above
        .defer("search_document")  # large, and no page shows it
        .order_by("-created_at", "-pk")
    )
    paginator = CachedCountPaginator(
        products, settings.SOUK_PRODUCTS_PER_PAGE, count_key=f"cooperative:{cooperative.pk}"
    )
    page = paginator.get_page(request.GET.get("page"))
    # The reviews of its pieces, through the reverse relation, in their own cached fragment.
    choice = reviews_choice(request.GET)
    context = {
        "cooperative": cooperative,
        "full_cooperative": partial(cooperative_page, cooperative.pk),
        "page_obj": page,
        "query": QueryDict(),
        "reviews": partial(
            cooperative.reviews.reviews_page, sort=choice.sort, number=choice.number
        ),
        "reviews_choice": choice,
        "reviews_version": reviews_version(cooperative),
    }
    return render(request, "artisans/cooperative_detail.html", context)
