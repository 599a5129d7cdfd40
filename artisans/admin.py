"""Admin for regions, cooperatives and memberships: verification is done from here."""

from collections.abc import Callable
from functools import partial
from http import HTTPStatus

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Func, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from artisans.browsing import forget_region_choices
from artisans.images import reencode_logo, reencode_photo
from artisans.models import (
    Cooperative,
    CooperativeLabel,
    CooperativePhoto,
    CooperativeStatus,
    Invitation,
    Label,
    Membership,
    ProductLabel,
    Region,
)
from artisans.verification import suspend_cooperative, verify_cooperative
from catalog.models import Product
from catalog.search import refresh_search_documents


class ReasonForm(forms.Form):
    """The reason a moderator gives for a decision; the people concerned read it by mail."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("Sent by mail to the cooperative's owners, in their language."),
    )


def ask_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    title: str,
    apply: Callable[[Model, str], object],
) -> tuple[TemplateResponse | None, int, list[str]]:
    """Run an action that needs a reason: first an intermediate page, then `apply` per row.

    Returns (page to show or None, how many rows changed, error messages).
    """
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        changed, errors = 0, []
        for obj in queryset:
            try:
                if apply(obj, form.cleaned_data["reason"]):
                    changed += 1
            except ValidationError as error:
                errors.extend(error.messages)
        return None, changed, errors
    return action_page(modeladmin, request, queryset, form=form, title=title), 0, []


def action_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form: forms.Form,
    title: str,
) -> TemplateResponse:
    """The intermediate page of an action that asks for something first (a reason, a bank
    reference): it posts back the same action and rows with "apply"."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    return TemplateResponse(request, "admin/action_reason.html", context, status=status)


def report(request: HttpRequest, changed: int, changed_message: str, errors: list[str]) -> None:
    """Tell the moderator what an action did, then what it refused."""
    (messages.success if changed else messages.warning)(request, changed_message)
    for error in errors:
        messages.error(request, error)


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ("name", "code", "position", "cooperative_count")
    list_editable = ("position",)
    search_fields = ("code", "name_en", "name_fr", "name_ar")
    ordering = ("position",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return super().get_queryset(request).annotate(cooperative_total=Count("cooperatives"))

    @admin.display(description=_("cooperatives"), ordering="cooperative_total")
    def cooperative_count(self, region: Region) -> int:
        return region.cooperative_total

    def save_model(self, request: HttpRequest, obj: Region, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_region_choices)
        if change and form.has_changed():
            refresh_search_documents(Product.objects.filter(cooperative__region=obj))

    def delete_model(self, request: HttpRequest, obj: Region) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(forget_region_choices)


class CooperativeForm(forms.ModelForm):
    class Meta:
        model = Cooperative
        fields = [
            "name",
            "slug",
            "legal_form",
            "region",
            "city",
            "founded_year",
            "member_count",
            "women_member_count",
            "youth_led",
            "story",
            "logo",
            "email",
            "phone",
        ]

    def clean_logo(self) -> object:
        logo = self.cleaned_data.get("logo")
        # A new upload is checked and re-encoded like any other: the bytes become ours.
        return reencode_logo(logo) if isinstance(logo, UploadedFile) else logo


class CooperativePhotoForm(forms.ModelForm):
    class Meta:
        model = CooperativePhoto
        fields = ["image", "alt_text", "position"]

    def clean_image(self) -> object:
        image = self.cleaned_data.get("image")
        return reencode_photo(image) if isinstance(image, UploadedFile) else image


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0


class CooperativePhotoInline(admin.TabularInline):
    model = CooperativePhoto
    form = CooperativePhotoForm
    fields = ("preview", "image", "alt_text", "position")
    readonly_fields = ("preview",)
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, photo: CooperativePhoto) -> str:
        if not photo.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="96" height="72" class="souk-admin-thumb">',
            photo.image.url,
            photo.alt_text,
        )


class ValidityFilter(admin.SimpleListFilter):
    """Certificates current today (they show on the pages) or past their last day."""

    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("current", _("current")), ("expired", _("expired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "current":
            return queryset.current()
        if self.value() == "expired":
            return queryset.expired()
        return queryset


class HeldLabelInline(admin.TabularInline):
    autocomplete_fields = ("label",)
    readonly_fields = ("validity",)
    extra = 0

    @admin.display(description=_("shown on the pages"), boolean=True)
    def validity(self, holding: CooperativeLabel | ProductLabel) -> bool | None:
        # An unsaved row has no dates yet: show nothing rather than a wrong answer.
        return holding.is_current if holding.pk else None


class CooperativeLabelInline(HeldLabelInline):
    model = CooperativeLabel
    fields = ("label", "certificate_number", "level", "valid_from", "valid_until", "validity")


class ProductLabelInline(HeldLabelInline):
    """On the product admin (catalog/admin.py): a product's own certificates."""

    model = ProductLabel
    fields = ("label", "certificate_number", "level", "valid_until", "validity")


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    form = CooperativeForm
    list_display = (
        "name",
        "status",
        "region",
        "city",
        "legal_form",
        "member_count",
        "women_member_count",
        "status_changed_at",
        "created_at",
    )
    list_filter = ("status", "region", "legal_form", "youth_led")
    list_select_related = ("region",)
    search_fields = ("name", "slug", "city", "email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("region",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = (
        "status",
        "status_changed_at",
        "status_changed_by",
        "status_reason",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "slug", "legal_form", "region", "city", "founded_year")}),
        (
            _("Members"),
            {"fields": ("member_count", "women_member_count", "youth_led")},
        ),
        (_("Profile"), {"fields": ("story", "logo", "email", "phone")}),
        (
            _("Verification"),
            {
                "description": _(
                    "The status changes only through the list's actions, which record "
                    "who decided and when, and tell the owners by mail."
                ),
                "fields": (
                    "status",
                    "status_changed_at",
                    "status_changed_by",
                    "status_reason",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    )
    inlines = (MembershipInline, CooperativePhotoInline, CooperativeLabelInline)
    actions = ("verify_selected", "suspend_selected")

    @admin.action(description=_("Verify selected cooperatives"), permissions=["change"])
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[Cooperative]) -> None:
        changed = 0
        for cooperative in queryset:
            if cooperative.status != CooperativeStatus.VERIFIED:
                verify_cooperative(cooperative, by=request.user)
                changed += 1
        message = ngettext(
            "%(count)d cooperative verified.", "%(count)d cooperatives verified.", changed
        ) % {"count": changed}
        if unchanged := len(queryset) - changed:
            message += " " + ngettext(
                "%(count)d was verified already.", "%(count)d were verified already.", unchanged
            ) % {"count": unchanged}
        messages.success(request, message)

    @admin.action(description=_("Suspend selected cooperatives"), permissions=["change"])
    def suspend_selected(
        self, request: HttpRequest, queryset: QuerySet[Cooperative]
    ) -> HttpResponse | None:
        page, changed, errors = ask_reason(
            self,
            request,
            queryset,
            title=_("Suspend cooperatives"),
            apply=partial(self._suspend, request),
        )
        if page:
            return page
        report(
            request,
            changed,
            ngettext(
                "%(count)d cooperative suspended.", "%(count)d cooperatives suspended.", changed
            )
            % {"count": changed},
            errors,
        )
        return None

    @staticmethod
    def _suspend(request: HttpRequest, cooperative: Cooperative, reason: str) -> bool:
        if cooperative.status == CooperativeStatus.SUSPENDED:
            return False
        suspend_cooperative(cooperative, by=request.user, reason=reason)
        return True


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "cooperative", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "cooperative")
    search_fields = ("user__email", "cooperative__name")
    autocomplete_fields = ("user", "cooperative")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: owners invite from their workspace; the admin can look, and delete one."""

    list_display = ("email", "cooperative", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role", ("accepted_at", admin.EmptyFieldListFilter))
    list_select_related = ("cooperative", "invited_by")
    search_fields = ("email", "cooperative__name")
    date_hierarchy = "created_at"
    # Never the token: whoever holds it can join the cooperative.
    fields = ("cooperative", "email", "role", "invited_by", "created_at", "accepted_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False


def count_of(rows: QuerySet) -> Subquery:
    """The number of rows, as a subquery an annotation can hold (0 when there are none)."""
    counted = rows.order_by().values(total=Func(F("pk"), function="COUNT"))
    return Subquery(counted, output_field=IntegerField())


@admin.register(Label)
class LabelAdmin(TranslationAdmin):
    list_display = ("name", "kind", "issuer", "has_levels", "cooperative_count", "product_count")
    list_filter = ("kind", "has_levels")
    search_fields = ("slug", "name_en", "name_fr", "name_ar")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "issuer", "has_levels", "description")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Label]:
        # One subquery per count: joining both holdings tables would multiply them by each
        # other (a label on 500 cooperatives and 5,000 products: 2.5 million rows to group).
        return (
            super()
            .get_queryset(request)
            .annotate(
                cooperative_total=count_of(CooperativeLabel.objects.filter(label=OuterRef("pk"))),
                product_total=count_of(ProductLabel.objects.filter(label=OuterRef("pk"))),
            )
        )

    @admin.display(description=_("cooperative certificates"), ordering="cooperative_total")
    def cooperative_count(self, label: Label) -> int:
        return label.cooperative_total

    @admin.display(description=_("product certificates"), ordering="product_total")
    def product_count(self, label: Label) -> int:
        return label.product_total


class HeldLabelAdmin(admin.ModelAdmin):
    list_filter = (ValidityFilter, "label")
    autocomplete_fields = ("label",)
    date_hierarchy = "valid_until"
    readonly_fields = ("created_at",)

    @admin.display(description=_("shown on the pages"), boolean=True)
    def is_current(self, holding: CooperativeLabel | ProductLabel) -> bool:
        return holding.is_current


@admin.register(CooperativeLabel)
class CooperativeLabelAdmin(HeldLabelAdmin):
    list_display = (
        "label",
        "cooperative",
        "certificate_number",
        "level",
        "valid_from",
        "valid_until",
        "is_current",
    )
    list_select_related = ("label", "cooperative")
    search_fields = ("certificate_number", "cooperative__name", "label__slug")
    autocomplete_fields = ("label", "cooperative")
    fields = (
        "cooperative",
        "label",
        "certificate_number",
        "level",
        "valid_from",
        "valid_until",
        "created_at",
    )


@admin.register(ProductLabel)
class ProductLabelAdmin(HeldLabelAdmin):
    list_display = ("label", "product", "certificate_number", "level", "valid_until", "is_current")
    list_select_related = ("label", "product")
    search_fields = ("certificate_number", "product__title", "label__slug")
    autocomplete_fields = ("label", "product")
    fields = ("product", "label", "certificate_number", "level", "valid_until", "created_at")
