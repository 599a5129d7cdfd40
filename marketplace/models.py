from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class EmailUserManager(UserManager):
    """Users log in with their email; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        blank=True,
        help_text=_("Language of the mails this person receives."),
    )

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


# ---------------------------------------------------------------------------
# Money: currencies, exchange rates, shipping rates (all edited by admins)
# ---------------------------------------------------------------------------
class Currency(models.TextChoices):
    MAD = "MAD", _("Moroccan dirham")
    EUR = "EUR", _("euro")
    USD = "USD", _("US dollar")


class ExchangeRate(models.Model):
    """How many dirhams one unit of a foreign currency buys; frozen on each order."""

    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=[(c.value, c.label) for c in Currency if c != Currency.MAD],
        unique=True,
    )
    mad_per_unit = models.DecimalField(
        _("dirhams per unit"),
        max_digits=12,
        decimal_places=6,
        help_text=_("For example 10.850000: one euro costs 10.85 dirhams."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mad_per_unit__gt=0), name="exchange_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.mad_per_unit} MAD"


class ShippingZone(models.TextChoices):
    MOROCCO = "morocco", _("Morocco")
    EUROPE = "europe", _("Europe")
    NORTH_AMERICA = "north_america", _("North America")
    WORLD = "world", _("Rest of the world")


class ShippingRate(models.Model):
    """The price of one cooperative's parcel to a zone, up to a weight."""

    zone = models.CharField(_("zone"), max_length=20, choices=ShippingZone)
    max_weight_grams = models.PositiveIntegerField(_("up to (grams)"))
    price = models.DecimalField(_("price (MAD)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        ordering = ["zone", "max_weight_grams"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "max_weight_grams"], name="shipping_rate_unique_bracket"
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0, max_weight_grams__gt=0),
                name="shipping_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_zone_display()} ≤ {self.max_weight_grams} g: {self.price} MAD"


# ---------------------------------------------------------------------------
# Cart: one per signed-in buyer, or per guest session (its id kept in the session)
# ---------------------------------------------------------------------------
class Cart(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
        verbose_name=_("buyer"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    # The price the buyer saw when adding: the cart says so when it has changed since.
    price_when_added = models.DecimalField(
        _("price when added (MAD)"), max_digits=10, decimal_places=2
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_line_unique_product"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="cart_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"


# ---------------------------------------------------------------------------
# Orders: one checkout, one shipment per cooperative, lines that freeze what was sold
# ---------------------------------------------------------------------------
class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")  # unpaid, stock released


class Order(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("buyer"),
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=5, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus, default=OrderStatus.AWAITING_PAYMENT
    )
    # What the buyer pays in: the rate is frozen here (1 for MAD).
    currency = models.CharField(_("currency"), max_length=3, choices=Currency)
    mad_per_unit = models.DecimalField(_("dirhams per unit"), max_digits=12, decimal_places=6)
    subtotal_mad = models.DecimalField(_("subtotal (MAD)"), max_digits=12, decimal_places=2)
    shipping_mad = models.DecimalField(_("shipping (MAD)"), max_digits=12, decimal_places=2)
    total_mad = models.DecimalField(_("total (MAD)"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    # Shipping address
    full_name = models.CharField(_("full name"), max_length=150)
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    phone = models.CharField(_("phone"), max_length=30)
    # Stock stays reserved for an unpaid order until then.
    reserved_until = models.DateTimeField(_("stock reserved until"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0, total_mad__gte=0, mad_per_unit__gt=0),
                name="order_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.number


# What the buyer gives at checkout: where the parcels go and how to reach them.
ORDER_CONTACT_FIELDS = (
    "email",
    "full_name",
    "address_line1",
    "address_line2",
    "city",
    "postal_code",
    "country",
    "phone",
)


class ShipmentStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
    TO_SHIP = "to_ship", _("to ship")
    SHIPPED = "shipped", _("shipped")
    DELIVERED = "delivered", _("delivered")
    CANCELLED = "cancelled", _("cancelled")


class Shipment(models.Model):
    """What one cooperative sends for one order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    cooperative = models.ForeignKey(
        "artisans.Cooperative",
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=_("cooperative"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ShipmentStatus,
        default=ShipmentStatus.AWAITING_PAYMENT,
    )
    weight_grams = models.PositiveIntegerField(_("weight (grams)"))
    subtotal_mad = models.DecimalField(_("subtotal (MAD)"), max_digits=12, decimal_places=2)
    shipping_mad = models.DecimalField(_("shipping (MAD)"), max_digits=12, decimal_places=2)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    # Promised to the buyer when the order is paid (marketplace/checkout.py): later changes of
    # the settings or of a product's lead time do not move it.
    ship_by = models.DateTimeField(_("ship by"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "cooperative"], name="shipment_one_per_cooperative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.cooperative}"

    @property
    def is_late(self) -> bool:
        """Paid, not marked shipped, and past the date the buyer was promised."""
        return (
            self.status == ShipmentStatus.TO_SHIP
            and self.ship_by is not None
            and self.ship_by < timezone.now()
        )


class OrderLine(models.Model):
    """One product sold, frozen as it was: later edits of the product change nothing here."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("product"),
    )
    title = models.CharField(_("title"), max_length=150)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_mad = models.DecimalField(_("unit price (MAD)"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency)
    hs_code = models.CharField(_("HS code"), max_length=6, blank=True)
    # What customs read: the craft and materials in English and French, whatever language
    # the seller wrote the title in.
    customs_description_en = models.CharField(
        _("customs description (English)"), max_length=250, blank=True
    )
    customs_description_fr = models.CharField(
        _("customs description (French)"), max_length=250, blank=True
    )
    weight_grams = models.PositiveIntegerField(_("net weight (grams)"))
    origin_country = models.CharField(_("origin"), max_length=2, default="MA")

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["shipment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


# ---------------------------------------------------------------------------
# Reputation: the track record behind the "trusted cooperative" badge (marketplace/reputation.py)
# ---------------------------------------------------------------------------
class CooperativeReputation(models.Model):
    """What recompute_reputation() last found; pages read it and never compute it."""

    cooperative = models.OneToOneField(
        "artisans.Cooperative",
        on_delete=models.CASCADE,
        related_name="reputation",
        verbose_name=_("cooperative"),
    )
    is_trusted = models.BooleanField(_("trusted"), default=False)
    delivered_orders = models.PositiveIntegerField(_("delivered orders"), default=0)
    published_reviews = models.PositiveIntegerField(_("published reviews"), default=0)
    # Shares from 0 to 1, rounded down (89.996% shows as 89.99%); empty while nothing counts.
    satisfaction = models.DecimalField(
        _("satisfaction"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Share of published reviews with 4 or 5 stars."),
    )
    on_time_rate = models.DecimalField(
        _("shipped on time"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Share of the parcels due, shipped or overdue, marked shipped by their promised date."
        ),
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("cooperative reputation")
        verbose_name_plural = _("cooperative reputations")
        ordering = ["cooperative"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=0, satisfaction__lte=1)
                | models.Q(satisfaction__isnull=True),
                name="%(app_label)s_%(class)s_satisfaction_is_a_share",
            ),
            models.CheckConstraint(
                condition=models.Q(on_time_rate__gte=0, on_time_rate__lte=1)
                | models.Q(on_time_rate__isnull=True),
                name="%(app_label)s_%(class)s_on_time_rate_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return str(self.cooperative)
