"""The buyer's cart: one row per signed-in buyer, one per guest (its id kept in the session).

Prices always come from the database: a line keeps the price the buyer saw when adding it only
to say when it has changed since. The session also keeps the number of pieces in the cart, so
the header shows it without a query, and the buyer's display currency and destination.
"""

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext

from artisans.models import Cooperative
from catalog.models import Product
from marketplace.models import Cart, CartLine, Currency, User
from marketplace.pricing import Parcel, Quote, convert, priced_currencies, quote

CART_SESSION_KEY = "souk_cart_id"  # a guest's cart
CART_COUNT_SESSION_KEY = "souk_cart_count"  # pieces in the cart, for the header
CURRENCY_SESSION_KEY = "souk_currency"
SHIP_TO_SESSION_KEY = "souk_ship_to"
DEFAULT_SHIP_TO = "MA"
# Per line, made-to-order pieces included: a cooperative makes a few at a time.
MAX_QUANTITY = 20


# ---------------------------------------------------------------- finding the cart


def find_cart(request: HttpRequest) -> Cart | None:
    """Return the buyer's cart, or None if they have none yet (no row, no session is made)."""
    if request.user.is_authenticated:
        return Cart.objects.filter(user=request.user).first()
    cart_id = request.session.get(CART_SESSION_KEY)
    if cart_id is None:
        return None
    return Cart.objects.filter(pk=cart_id, user__isnull=True).first()


def get_or_create_cart(request: HttpRequest) -> Cart:
    """Return the buyer's cart, making one (and, for a guest, the session) if needed."""
    cart = find_cart(request)
    if cart is not None:
        return cart
    if request.user.is_authenticated:
        cart, _created = Cart.objects.get_or_create(user=request.user)
        return cart
    cart = Cart.objects.create()
    request.session[CART_SESSION_KEY] = cart.pk
    return cart


def count_items(cart: Cart | None) -> int:
    """Return how many pieces the cart holds."""
    if cart is None:
        return 0
    return cart.lines.aggregate(count=Sum("quantity"))["count"] or 0


def remember_count(request: HttpRequest, count: int) -> None:
    """Keep the cart's piece count in the session, where the header reads it."""
    if count:
        if request.session.get(CART_COUNT_SESSION_KEY) != count:  # else no session write
            request.session[CART_COUNT_SESSION_KEY] = count
    elif CART_COUNT_SESSION_KEY in request.session:
        del request.session[CART_COUNT_SESSION_KEY]


# ---------------------------------------------------------------- changing the cart


def max_quantity(product: Product) -> int:
    """The most pieces of a product one cart line may hold."""
    return MAX_QUANTITY if product.made_to_order else min(product.stock, MAX_QUANTITY)


def check_quantity(product: Product, quantity: int, *, in_cart: int = 0) -> None:
    """Raise ValidationError unless the cart may hold this quantity of the product."""
    params = {"title": product.title, "stock": product.stock, "max": MAX_QUANTITY}
    if quantity < 1:
        raise ValidationError(
            gettext("Choose a quantity of at least 1."), code="quantity_too_small"
        )
    if not product.made_to_order:
        if product.stock == 0:
            raise ValidationError(
                gettext("“%(title)s” is sold out."), code="sold_out", params=params
            )
        if product.stock == 1 and in_cart:
            raise ValidationError(
                gettext("“%(title)s” is one of a kind, and it is already in your cart."),
                code="one_of_a_kind",
                params=params,
            )
        if quantity > product.stock:
            raise ValidationError(
                ngettext(
                    "Only %(stock)s piece of “%(title)s” is left.",
                    "Only %(stock)s pieces of “%(title)s” are left.",
                    product.stock,
                ),
                code="not_enough_stock",
                params=params,
            )
    if quantity > MAX_QUANTITY:
        raise ValidationError(
            gettext("You can order up to %(max)s pieces of “%(title)s” at a time."),
            code="quantity_too_large",
            params=params,
        )


@transaction.atomic
def add_to_cart(cart: Cart, product: Product, *, quantity: int) -> CartLine:
    """Add quantity pieces of a published product, within its stock; return the line."""
    line = cart.lines.filter(product=product).first()
    in_cart = line.quantity if line else 0
    check_quantity(product, in_cart + quantity, in_cart=in_cart)
    if line is None:
        return CartLine.objects.create(
            cart=cart, product=product, quantity=quantity, price_when_added=product.price
        )
    # The buyer has just seen today's price: the line no longer says it changed.
    line.quantity += quantity
    line.price_when_added = product.price
    line.save(update_fields=["quantity", "price_when_added"])
    return line


def change_quantity(cart: Cart, product_id: int, *, quantity: int) -> CartLine:
    """Set how many pieces of a product in the cart the buyer wants, within its stock."""
    line = cart.lines.select_related("product").filter(product_id=product_id).first()
    if line is None:
        raise ValidationError(gettext("That piece is not in your cart."), code="not_in_cart")
    if not Product.objects.published().filter(pk=product_id).exists():
        raise ValidationError(
            gettext("“%(title)s” is no longer for sale: remove it from your cart."),
            code="unavailable",
            params={"title": line.product.title},
        )
    check_quantity(line.product, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


def remove_from_cart(cart: Cart, product_id: int) -> bool:
    """Take a product out of the cart; say whether it was there."""
    deleted, _by_model = cart.lines.filter(product_id=product_id).delete()
    return bool(deleted)


@transaction.atomic
def merge_carts(guest: Cart, *, into: Cart) -> None:
    """Move a guest's lines into the buyer's own cart, within stock; delete the guest's cart."""
    kept = {line.product_id: line for line in into.lines.all()}
    for line in guest.lines.select_related("product"):
        product = line.product
        limit = max_quantity(product)
        existing = kept.get(product.pk)
        quantity = min(line.quantity + (existing.quantity if existing else 0), limit)
        if existing is None:
            if quantity >= 1:  # a piece sold out meanwhile is not carried over
                CartLine.objects.create(
                    cart=into,
                    product=product,
                    quantity=quantity,
                    price_when_added=line.price_when_added,
                )
        elif quantity > existing.quantity:
            existing.quantity = quantity
            existing.save(update_fields=["quantity"])
    guest.delete()


def adopt_guest_cart(request: HttpRequest, user: User) -> None:
    """On sign-in: merge the cart filled as a guest into the buyer's cart; count it again."""
    guest_id = request.session.pop(CART_SESSION_KEY, None)
    guest = Cart.objects.filter(pk=guest_id, user__isnull=True).first() if guest_id else None
    cart = Cart.objects.filter(user=user).first()
    if guest is not None and cart is None:
        guest.user = user
        guest.save(update_fields=["user", "updated_at"])
        cart = guest
    elif guest is not None:
        merge_carts(guest, into=cart)
    remember_count(request, count_items(cart))


def on_user_logged_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """Receiver of django's user_logged_in (allauth's logins and the admin's send it too)."""
    if request is not None and hasattr(request, "session"):
        adopt_guest_cart(request, user)


# ---------------------------------------------------------------- what the buyer chose


def display_currency(request: HttpRequest, *, offered: Collection[str] | None = None) -> str:
    """The currency the buyer sees prices in: MAD unless they chose another that has a rate.

    offered: priced_currencies(), when the caller has them already (else one query).
    """
    currency = request.session.get(CURRENCY_SESSION_KEY, Currency.MAD)
    if currency == Currency.MAD:
        return Currency.MAD
    if offered is None:
        offered = priced_currencies()
    # The admin may have deleted the rate since the buyer chose it.
    return currency if currency in offered else Currency.MAD


def ship_to(request: HttpRequest) -> str:
    """The country the cart's shipping is estimated for (Morocco unless the buyer chose)."""
    return request.session.get(SHIP_TO_SESSION_KEY, DEFAULT_SHIP_TO)


def choose_preferences(request: HttpRequest, *, currency: str, country: str) -> None:
    """Keep the buyer's display currency and destination in the session."""
    request.session[CURRENCY_SESSION_KEY] = currency
    request.session[SHIP_TO_SESSION_KEY] = str(country)


# ---------------------------------------------------------------- the cart page


class LineProblem:
    """Why a line cannot be ordered as it is."""

    UNAVAILABLE = "unavailable"  # unpublished, or its cooperative is no longer verified
    SOLD_OUT = "sold_out"
    NOT_ENOUGH = "not_enough"  # fewer pieces left than the line asks for


@dataclass(frozen=True)
class CartItem:
    line: CartLine  # with its product and cooperative
    unit_price: Decimal  # today's price, in the display currency
    problem: str  # a LineProblem, or "" when the line can be ordered

    @property
    def product(self) -> Product:
        return self.line.product

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.line.quantity

    @property
    def price_changed(self) -> bool:
        return self.line.product.price != self.line.price_when_added


@dataclass(frozen=True)
class CartGroup:
    """The lines of one cooperative, and the parcel it would send (None: nothing to order)."""

    cooperative: Cooperative
    items: tuple[CartItem, ...]
    parcel: Parcel | None


@dataclass(frozen=True)
class CartSummary:
    groups: tuple[CartGroup, ...]
    quote: Quote  # of the lines that can be ordered
    country: str

    @property
    def count(self) -> int:
        return sum(item.quantity for group in self.groups for item in group.items)

    @property
    def has_problems(self) -> bool:
        return any(item.problem for group in self.groups for item in group.items)

    @property
    def can_checkout(self) -> bool:
        return bool(self.quote.parcels) and not self.has_problems and not self.quote.errors


def line_problem(line: CartLine, *, for_sale: bool) -> str:
    """Say why the line cannot be ordered as it is, or ""."""
    product = line.product
    if not for_sale:
        return LineProblem.UNAVAILABLE
    if product.made_to_order:
        return ""
    if product.stock == 0:
        return LineProblem.SOLD_OUT
    if line.quantity > product.stock:
        return LineProblem.NOT_ENOUGH
    return ""


def cart_lines(cart: Cart) -> list[CartLine]:
    """The cart's lines with product and cooperative, by cooperative, each knowing if for sale."""
    for_sale = Exists(Product.objects.published().filter(pk=OuterRef("product_id")))
    return list(
        cart.lines.select_related("product__cooperative")
        .annotate(for_sale=for_sale)
        .order_by("product__cooperative__name", "product__cooperative_id", "added_at", "pk")
    )


def summarize_cart(cart: Cart | None, *, currency: str, country: str) -> CartSummary:
    """Price the cart for the cart page: lines by cooperative, parcels, totals, problems.

    Constant queries: the lines, the exchange rate (none for MAD), the zone's shipping rates.
    """
    lines = cart_lines(cart) if cart is not None else []
    items = [(line, line_problem(line, for_sale=line.for_sale)) for line in lines]
    orderable = [(line.product, line.quantity) for line, problem in items if not problem]
    priced = quote(orderable, country=country, currency=currency)
    parcels = {parcel.cooperative.pk: parcel for parcel in priced.parcels}
    groups: dict[int, list[CartItem]] = {}
    for line, problem in items:
        unit_price = convert(line.product.price, priced.mad_per_unit)
        groups.setdefault(line.product.cooperative_id, []).append(
            CartItem(line=line, unit_price=unit_price, problem=problem)
        )
    return CartSummary(
        groups=tuple(
            CartGroup(
                cooperative=group[0].product.cooperative,
                items=tuple(group),
                parcel=parcels.get(cooperative_id),
            )
            for cooperative_id, group in groups.items()
        ),
        quote=priced,
        country=str(country),
    )
