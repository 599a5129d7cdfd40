import functools
from functools import partial
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from artisans.browsing import CachedCountPaginator, cached_for_visitors
from artisans.images import IMAGE_ERROR_CODES
from catalog.browsing import (
    UNSHOWN_FIELDS,
    canonical_query,
    describe_selection,
    filter_choices,
    product_page,
    visible_products,
)
from catalog.forms import ReportForm, ReviewEditForm, ReviewForm
from catalog.models import Review
from catalog.reviews import (
    check_may_review,
    edit_review,
    mark_helpful,
    order_lines,
    report_review,
    reviews_choice,
    reviews_version,
    submit_review,
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
    # only when one of the page's cached fragments has expired.
    product = get_object_or_404(visible_products(), slug=slug)
    choice = reviews_choice(request.GET)
    context = {
        "product": product,
        # Read once, by whichever of the product's two fragments (above and below the
        # reviews) the cache misses first.
        "page": functools.cache(partial(product_page, product.pk)),
        # The reviews section's own fragment, keyed by the sort, the page and this version.
        "reviews": partial(product.reviews.reviews_page, sort=choice.sort, number=choice.number),
        "reviews_choice": choice,
        "reviews_version": reviews_version(product),
    }
    return render(request, "catalog/product_detail.html", context)


# ---------------------------------------------------------------- reviews


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_create(request: HttpRequest, line_id: int) -> HttpResponse:
    # Another buyer's line is a 404, as their order is: nobody learns it exists.
    line = get_object_or_404(
        order_lines().select_related("shipment__order").filter(shipment__order__user=request.user),
        pk=line_id,
    )
    order_url = reverse("marketplace:order_detail", args=[line.shipment.order.number])
    try:
        check_may_review(request.user, line)
    except ValidationError as refusal:
        if refusal.code == "already_reviewed":
            messages.info(request, refusal.messages[0])
            return redirect("catalog:review_edit", line.review.pk)
        context = {"line": line, "refusal": refusal.messages[0], "order_url": order_url}
        return render(request, "catalog/review_refused.html", context, status=HTTPStatus.FORBIDDEN)
    form = ReviewForm(request.POST, request.FILES) if request.method == "POST" else ReviewForm()
    if form.is_bound and form.is_valid():
        try:
            submit_review(line, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("photos" if error.code in PHOTO_ERRORS else None, error)
        else:
            messages.success(request, _submitted_message(line.title))
            return redirect(order_url)
    elif form.is_bound and request.FILES.getlist("photos") and "photos" not in form.errors:
        # Photos are checked with the review, and a browser never sends files back.
        form.add_error(
            "photos",
            gettext(
                "Your photos were not kept: choose them again after fixing the mistakes above."
            ),
        )
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    context = {"form": form, "line": line, "order_url": order_url}
    return render(request, "catalog/review_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    review = get_object_or_404(
        Review.objects.filter(author=request.user).select_related("order_line__shipment__order"),
        pk=review_id,
    )
    line = review.order_line
    order_url = reverse("marketplace:order_detail", args=[line.shipment.order.number])
    form = (
        ReviewEditForm(request.POST)
        if request.method == "POST"
        else ReviewEditForm(initial={"rating": review.rating, "text": review.text})
    )
    if form.is_bound and form.is_valid():
        try:
            edit_review(review, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _submitted_message(line.title, edited=True))
            return redirect(order_url)
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    context = {"form": form, "line": line, "order_url": order_url, "review": review}
    return render(request, "catalog/review_form.html", context, status=status)


@require_POST
def review_helpful(request: HttpRequest, review_id: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.published().select_related("product"), pk=review_id)
    back = _back_url(request, review)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        counted = mark_helpful(review, request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if counted:
            messages.success(request, gettext("Thank you: your vote is counted."))
        else:
            messages.info(request, gettext("You have already found this review helpful."))
    return redirect(back)


@require_http_methods(["GET", "HEAD", "POST"])
def review_report(request: HttpRequest, review_id: int) -> HttpResponse:
    review = get_object_or_404(Review.objects.published().select_related("product"), pk=review_id)
    back = _back_url(request, review)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    form = ReportForm(request.POST) if request.method == "POST" else ReportForm()
    if form.is_bound and form.is_valid():
        try:
            report_review(review, reporter=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, gettext("Thank you: a Souk moderator will read the review again.")
            )
            return redirect(back)
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    context = {"form": form, "review": review, "back": back}
    return render(request, "catalog/review_report.html", context, status=status)


# The refusals of submit_review that are about a photo, shown beside the photo field: the
# image checks' and its own (how many photos, and a photo refused without a code).
PHOTO_ERRORS = IMAGE_ERROR_CODES | {"too_many_photos", "invalid_photo"}


def _submitted_message(title: str, *, edited: bool = False) -> str:
    params = {"title": title}
    if settings.SOUK_REVIEWS_HELD_FOR_MODERATION:
        return (
            gettext("Thank you: your review of “%(title)s” will show once a moderator has read it.")
            % params
        )
    if edited:
        return gettext("Your review of “%(title)s” is changed.") % params
    return gettext("Thank you: your review of “%(title)s” is published.") % params


def _back_url(request: HttpRequest, review: Review) -> str:
    """Where to go after a vote or a report: the page it came from, else the product's."""
    asked = request.POST.get("next") or request.GET.get("next", "")
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return f"{review.product.get_absolute_url()}#review-{review.pk}"
