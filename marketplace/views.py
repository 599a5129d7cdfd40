from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from artisans.browsing import cached_for_visitors, featured_cooperatives
from catalog.browsing import branch_choices, featured_products
from catalog.models import Product
from catalog.reviews import order_review_states
from marketplace.cart import (
    add_to_cart,
    change_quantity,
    choose_preferences,
    count_items,
    display_currency,
    find_cart,
    get_or_create_cart,
    remember_count,
    remove_from_cart,
    ship_to,
    summarize_cart,
)
from marketplace.checkout import place_order
from marketplace.forms import CheckoutForm, PreferencesForm, QuantityForm
from marketplace.models import Cart
from marketplace.orders import (
    buyer_order,
    orders_for_page,
    orders_of,
    remember_order,
    signed_key,
    summarize_order,
)
from marketplace.pricing import priced_currencies
from marketplace.reputation import trust_rules

ORDERS_PER_PAGE = 20


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    # Callables: the template calls them only when its cached fragment has expired.
    context = {
        "branches": branch_choices,
        "products": featured_products,
        "cooperatives": featured_cooperatives,
    }
    return render(request, "marketplace/home.html", context)


# ---------------------------------------------------------------- cart


def render_cart(
    request: HttpRequest,
    cart: Cart | None,
    *,
    status: int = HTTPStatus.OK,
    error: ValidationError | None = None,
) -> HttpResponse:
    """The cart page, priced in the buyer's currency for their destination."""
    offered = priced_currencies()
    currency, country = display_currency(request, offered=offered), ship_to(request)
    summary = summarize_cart(cart, currency=currency, country=country)
    remember_count(request, summary.count)
    preferences = PreferencesForm(
        initial={"currency": currency, "country": country}, currencies=offered
    )
    context = {
        "summary": summary,
        "errors": error.messages if error is not None else [],
        "preferences": preferences,
    }
    return render(request, "marketplace/cart.html", context, status=status)


@require_safe
def cart(request: HttpRequest) -> HttpResponse:
    return render_cart(request, find_cart(request))


@require_POST
def cart_add(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.published(), slug=slug)
    form = QuantityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["quantity"]))
        shopping_cart = get_or_create_cart(request)
        add_to_cart(shopping_cart, product, quantity=form.cleaned_data["quantity"])
    except ValidationError as error:
        return render_cart(request, find_cart(request), status=HTTPStatus.BAD_REQUEST, error=error)
    remember_count(request, count_items(shopping_cart))
    messages.success(request, gettext("“%(title)s” is in your cart.") % {"title": product.title})
    return redirect("marketplace:cart")


@require_POST
def cart_update(request: HttpRequest, product_id: int) -> HttpResponse:
    shopping_cart = find_cart(request)
    if shopping_cart is None:
        raise Http404
    form = QuantityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["quantity"]))
        change_quantity(shopping_cart, product_id, quantity=form.cleaned_data["quantity"])
    except ValidationError as error:
        return render_cart(request, shopping_cart, status=HTTPStatus.BAD_REQUEST, error=error)
    remember_count(request, count_items(shopping_cart))
    messages.success(request, gettext("The quantity is changed."))
    return redirect("marketplace:cart")


@require_POST
def cart_remove(request: HttpRequest, product_id: int) -> HttpResponse:
    shopping_cart = find_cart(request)
    if shopping_cart is None or not remove_from_cart(shopping_cart, product_id):
        raise Http404
    remember_count(request, count_items(shopping_cart))
    messages.success(request, gettext("The piece is out of your cart."))
    return redirect("marketplace:cart")


@require_POST
def cart_preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        error = ValidationError([e for errors in form.errors.values() for e in errors])
        return render_cart(request, find_cart(request), status=HTTPStatus.BAD_REQUEST, error=error)
    choose_preferences(request, **form.cleaned_data)
    return redirect("marketplace:cart")


# ---------------------------------------------------------------- checkout


def render_checkout(
    request: HttpRequest, cart: Cart | None, form: CheckoutForm, *, status: int = HTTPStatus.OK
) -> HttpResponse:
    """The checkout page: the address form beside the cart priced for the chosen country."""
    country = (form.cleaned_data.get("country") if form.is_bound else None) or ship_to(request)
    summary = summarize_cart(cart, currency=display_currency(request), country=country)
    context = {"form": form, "summary": summary}
    return render(request, "marketplace/checkout.html", context, status=status)


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    shopping_cart = find_cart(request)
    if request.method == "GET":
        if shopping_cart is None or not shopping_cart.lines.exists():
            messages.info(request, gettext("Your cart is empty: add a piece before checking out."))
            return redirect("marketplace:cart")
        form = CheckoutForm(buyer=request.user, initial={"country": ship_to(request)})
        return render_checkout(request, shopping_cart, form)
    form = CheckoutForm(request.POST, buyer=request.user)
    if form.is_valid() and shopping_cart is None:
        form.add_error(None, ValidationError(gettext("Your cart is empty."), code="empty_cart"))
    elif form.is_valid():
        try:
            order = place_order(
                shopping_cart,
                form.details(),
                currency=display_currency(request),
                user=request.user if request.user.is_authenticated else None,
                language=get_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            remember_order(request, order)
            remember_count(request, 0)
            return redirect(reverse("payments:pay", args=[order.number]))
    return render_checkout(request, shopping_cart, form, status=HTTPStatus.BAD_REQUEST)


# ---------------------------------------------------------------- orders


@require_safe
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = buyer_order(request, number, queryset=orders_for_page())
    context = {
        "summary": summarize_order(order),
        "order": order,
        "key": signed_key(request, order),
        # Which lines its signed-in buyer may review, or has (catalog/reviews.py).
        "review_states": order_review_states(order, request.user),
    }
    return render(request, "marketplace/order_detail.html", context)


@require_safe
@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(orders_of(request.user), ORDERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "marketplace/order_list.html", {"page_obj": page, "query": QueryDict()})


# ---------------------------------------------------------------- help


@require_safe
def trust_help(request: HttpRequest) -> HttpResponse:
    """The rules of the "trusted cooperative" badge, with the thresholds in force.

    Not cached: it reads no database, and a changed threshold shows at once.
    """
    return render(request, "marketplace/trust_help.html", {"rules": trust_rules()})
