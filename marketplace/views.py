from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from artisans.browsing import cached_for_visitors, featured_cooperatives
from catalog.browsing import branch_choices, featured_products


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    # Callables: the template calls them only when its cached fragment has expired.
    context = {
        "branches": branch_choices,
        "products": featured_products,
        "cooperatives": featured_cooperatives,
    }
    return render(request, "marketplace/home.html", context)
