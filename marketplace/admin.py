"""The admin site itself, and the people who use Souk."""

from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.models import Membership
from marketplace import review_analytics
from marketplace.models import (
    ORDER_CONTACT_FIELDS,
    Cart,
    CartLine,
    CooperativeReputation,
    ExchangeRate,
    Order,
    OrderLine,
    Shipment,
    ShippingRate,
    User,
)
from payments.statements import csv_download

admin.site.site_header = _("Souk administration")
admin.site.site_title = _("Souk admin")
admin.site.index_title = _("Moderation and reference data")
# Django's admin has its own login form, which allauth's rate limits, mandatory email
# verification and login policy never see. Send anonymous visitors to allauth's login
# instead (allauth's documented recipe); a logged-in non-staff user gets a 403.
admin.site.login = secure_admin_login(admin.site.login)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserForm(UserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "first_name",
            "last_name",
            "language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ("cooperative", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("cooperative",)
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = (
        "email",
        "first_name",
        "last_name",
        "language",
        "email_verified",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "language", "groups")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    date_hierarchy = "date_joined"
    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        verified = EmailAddress.objects.filter(
            user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
        )
        return super().get_queryset(request).annotate(has_verified_email=Exists(verified))

    @admin.display(boolean=True, description=_("email verified"), ordering="has_verified_email")
    def email_verified(self, user: User) -> bool:
        return user.has_verified_email

    def get_inlines(self, request: HttpRequest, obj: User | None) -> tuple:
        # No memberships on the add page: the user does not exist yet.
        return self.inlines if obj else ()


# ---------------------------------------------------------------- money: rates the admin keeps


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "mad_per_unit", "updated_at")
    list_display_links = ("currency",)
    list_editable = ("mad_per_unit",)
    readonly_fields = ("updated_at",)


@admin.register(ShippingRate)
class ShippingRateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "zone", "max_weight_grams", "price")
    list_editable = ("max_weight_grams", "price")
    list_filter = ("zone",)


# ---------------------------------------------------------------- carts and orders


class CartLineInline(admin.TabularInline):
    model = CartLine
    fields = ("product", "quantity", "price_when_added", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "pieces", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    readonly_fields = ("user", "created_at", "updated_at")
    inlines = (CartLineInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cart]:
        return super().get_queryset(request).annotate(piece_count=Sum("lines__quantity"))

    @admin.display(description=_("pieces"), ordering="piece_count")
    def pieces(self, cart: Cart) -> int:
        return cart.piece_count or 0

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ShipmentInline(admin.TabularInline):
    """The order's parcels; money and weight are frozen, the carrier's details are not."""

    model = Shipment
    fields = (
        "cooperative",
        "status",
        "weight_grams",
        "subtotal_mad",
        "shipping_mad",
        "carrier",
        "tracking_number",
        "shipped_at",
        "delivered_at",
    )
    readonly_fields = (
        "cooperative",
        "status",
        "weight_grams",
        "subtotal_mad",
        "shipping_mad",
        "shipped_at",
        "delivered_at",
    )
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Shipment]:
        return super().get_queryset(request).select_related("order", "cooperative")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


ORDER_MONEY_FIELDS = (
    "number",
    "user",
    "status",
    "language",
    "currency",
    "mad_per_unit",
    "subtotal_mad",
    "shipping_mad",
    "total_mad",
    "total",
    "reserved_until",
    "paid_at",
    "created_at",
    "sold_lines",
)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders as placed: what was sold and paid is read-only; the address can be corrected."""

    list_display = (
        "number",
        "created_at",
        "email",
        "status",
        "total_shown",
        "total_mad",
        "country",
    )
    list_filter = ("status", "currency", "country")
    search_fields = ("number", "email", "full_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = ORDER_MONEY_FIELDS
    fieldsets = (
        (None, {"fields": ORDER_MONEY_FIELDS}),
        (
            _("Shipping address"),
            {"fields": ORDER_CONTACT_FIELDS},
        ),
    )
    inlines = (ShipmentInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        lines = OrderLine.objects.select_related("shipment__cooperative").order_by(
            "shipment_id", "pk"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("shipments__lines", queryset=lines))
        )

    @admin.display(description=_("total"), ordering="total")
    def total_shown(self, order: Order) -> str:
        return f"{order.total} {order.currency}"

    @admin.display(description=_("order lines"))
    def sold_lines(self, order: Order) -> str:
        rows = [
            (
                line.shipment.cooperative.name,
                line.quantity,
                line.title,
                line.unit_price_mad,
                line.unit_price,
                line.currency,
                line.hs_code or "-",
                line.weight_grams,
                line.origin_country,
            )
            for shipment in order.shipments.all()
            for line in shipment.lines.all()
        ]
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("cooperative"),
            _("quantity"),
            _("title"),
            _("unit price (MAD)"),
            _("unit price"),
            _("HS code"),
            _("net weight (grams)"),
            _("origin"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td>"
                "<td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders come from the checkout

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # money and customs history


# ---------------------------------------------------------------- trust: reputation and reviews


@admin.register(CooperativeReputation)
class CooperativeReputationAdmin(admin.ModelAdmin):
    """The badges as marketplace/reputation.py last computed them: read only.

    Also the home of the review analytics page and its CSV (staff only, admin_view).
    """

    list_display = (
        "cooperative",
        "is_trusted",
        "delivered_orders",
        "published_reviews",
        "satisfaction_shown",
        "on_time_shown",
        "computed_at",
    )
    list_filter = ("is_trusted",)
    list_select_related = ("cooperative",)
    search_fields = ("cooperative__name",)
    date_hierarchy = "computed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # computed when its inputs change, or by `manage.py recompute_reputation`

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("satisfaction"), ordering="satisfaction")
    def satisfaction_shown(self, reputation: CooperativeReputation) -> str:
        return percent_shown(reputation.satisfaction)

    @admin.display(description=_("shipped on time"), ordering="on_time_rate")
    def on_time_shown(self, reputation: CooperativeReputation) -> str:
        return percent_shown(reputation.on_time_rate)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "review-analytics/",
                self.admin_site.admin_view(self.review_analytics),
                name="review_analytics",
            ),
            path(
                "review-analytics.csv",
                self.admin_site.admin_view(self.review_analytics_csv),
                name="review_analytics_csv",
            ),
            *super().get_urls(),
        ]

    def review_analytics(self, request: HttpRequest) -> HttpResponse:
        """Satisfaction rate and review count by craft branch, month and buyer country."""
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review analytics"),
            "opts": self.model._meta,
            "overall": review_analytics.overall(),
            "branches": review_analytics.by_branch(),
            "months": review_analytics.by_month(),
            "countries": review_analytics.by_country(),
        }
        return TemplateResponse(request, "admin/marketplace/review_analytics.html", context)

    def review_analytics_csv(self, request: HttpRequest) -> HttpResponse:
        filename = f"souk-review-analytics-{timezone.localdate().isoformat()}.csv"
        return csv_download(review_analytics.analytics_rows(), filename)


def percent_shown(rate) -> str:
    """A stored share as the admin reads it: 0.8947 → "89.47 %", nothing → "-"."""
    return "-" if rate is None else f"{rate * 100:.2f} %"
