"""Admin for the catalog: reference data (branches, crafts, HS codes), product moderation and
review moderation."""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from artisans.admin import ProductLabelInline, ask_reason, report
from catalog.browsing import forget_branch_choices
from catalog.images import clean_image_upload, delete_product_image, store_product_image_files
from catalog.models import (
    Craft,
    CraftBranch,
    HSCode,
    HSCodeLevel,
    Product,
    ProductImage,
    ProductStatus,
    Review,
    ReviewPhoto,
    ReviewReport,
)
from catalog.moderation import approve_product, reject_product
from catalog.reviews import hide_review, publish_review, reject_review
from catalog.search import refresh_search_documents


def thumbnail(image: ProductImage | None, *, size: int = 64) -> str:
    """An <img> of the photo's thumbnail for the admin, or a dash."""
    if image is None or not image.thumbnail:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="souk-admin-thumb">',
        image.thumbnail.url,
        image.alt_text,
        size,
        size,
    )


class TranslatedReferenceAdmin(TranslationAdmin):
    """Branches and crafts: every edit changes filter choices and products' search text."""

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_branch_choices)
        if change and form.has_changed():
            refresh_search_documents(self.affected_products(obj))

    def delete_model(self, request: HttpRequest, obj) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(forget_branch_choices)

    def affected_products(self, obj) -> QuerySet[Product]:
        raise NotImplementedError


@admin.register(CraftBranch)
class CraftBranchAdmin(TranslatedReferenceAdmin):
    list_display = ("name", "slug", "position", "craft_count")
    list_editable = ("position",)
    search_fields = ("slug", "name_en", "name_fr", "name_ar")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[CraftBranch]:
        return super().get_queryset(request).annotate(craft_total=Count("crafts"))

    @admin.display(description=_("crafts"), ordering="craft_total")
    def craft_count(self, branch: CraftBranch) -> int:
        return branch.craft_total

    def affected_products(self, obj: CraftBranch) -> QuerySet[Product]:
        return Product.objects.filter(craft__branch=obj)


@admin.register(Craft)
class CraftAdmin(TranslatedReferenceAdmin):
    list_display = ("name", "branch", "hs_code", "slug")
    list_filter = ("branch",)
    list_select_related = ("branch", "hs_code")
    search_fields = ("slug", "name_en", "name_fr", "name_ar", "hs_code__code")
    autocomplete_fields = ("branch", "hs_code")
    prepopulated_fields = {"slug": ("name_en",)}

    def affected_products(self, obj: Craft) -> QuerySet[Product]:
        return Product.objects.filter(craft=obj)


@admin.register(HSCode)
class HSCodeAdmin(TranslationAdmin):
    list_display = ("dotted_code", "level", "description", "section")
    list_filter = ("level", "section")
    search_fields = ("code", "description_en", "description_fr", "description_ar")
    autocomplete_fields = ("parent",)
    ordering = ("code",)

    @admin.display(description=_("code"), ordering="code")
    def dotted_code(self, hs_code: HSCode) -> str:
        return hs_code.dotted_code

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[HSCode], search_term: str
    ) -> tuple[QuerySet[HSCode], bool]:
        # Moderators type codes as customs forms print them: "5701.10" finds 570110.
        if search_term.replace(".", "").replace(" ", "").isdigit():
            search_term = search_term.replace(".", "").replace(" ", "")
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The product picker offers only what a product may carry: 6-digit subheadings.
        if (
            request.GET.get("model_name") == "product"
            and request.GET.get("field_name") == "hs_code"
        ):
            queryset = queryset.filter(level=HSCodeLevel.SUBHEADING)
        return queryset, may_have_duplicates


class ProductImageForm(forms.ModelForm):
    class Meta:
        model = ProductImage
        fields = ["image", "alt_text", "position"]

    def clean_image(self) -> object:
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            clean_image_upload(image)
        return image

    def save(self, commit: bool = True) -> ProductImage:
        photo = super().save(commit=False)
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            # Re-encoded original, card and thumbnail, as every upload path stores them.
            stored = store_product_image_files(upload)
            photo.image, photo.card, photo.thumbnail = stored.names
            photo.width, photo.height = stored.width, stored.height
        if commit:
            photo.save()
        return photo


class ProductImageFormSet(BaseInlineFormSet):
    def delete_existing(self, obj: ProductImage, commit: bool = True) -> None:
        if commit:
            delete_product_image(obj)  # the files go too, once the deletion is committed


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    formset = ProductImageFormSet
    fields = ("preview", "image", "alt_text", "position")
    readonly_fields = ("preview",)
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, image: ProductImage) -> str:
        return thumbnail(image, size=96)


class ModerationQueueFilter(admin.SimpleListFilter):
    title = _("moderation")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("pending", _("Awaiting review (%(count)s)") % {"count": pending_count(request)})]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        if self.value() == "pending":
            return queryset.filter(status=ProductStatus.PENDING)
        return queryset


class CooperativeStatusFilter(admin.ChoicesFieldListFilter):
    """The cooperative's status, titled so it is not mistaken for the product's own."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.title = _("cooperative status")


def pending_count(request: HttpRequest) -> int:
    """How many products await review; counted once per request."""
    if not hasattr(request, "_souk_pending_count"):
        request._souk_pending_count = Product.objects.filter(status=ProductStatus.PENDING).count()
    return request._souk_pending_count


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "cooperative",
            "craft",
            "hs_code",
            "title",
            "slug",
            "description",
            "materials",
            "dimensions",
            "weight_grams",
            "price",
            "stock",
            "made_to_order",
            "lead_time_days",
            "is_featured",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A product carries a 6-digit subheading, never a chapter or heading.
        self.fields["hs_code"].queryset = HSCode.objects.subheadings()


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductForm
    list_display = (
        "cover_thumbnail",
        "title",
        "status",
        "cooperative",
        "cooperative_status",
        "craft",
        "price",
        "stock",
        "reviewed_at",
        "created_at",
    )
    list_display_links = ("cover_thumbnail", "title")
    list_filter = (
        ModerationQueueFilter,
        "status",
        ("cooperative__status", CooperativeStatusFilter),
        "craft__branch",
        "is_featured",
        "made_to_order",
    )
    list_select_related = ("cooperative", "craft")
    search_fields = ("title", "slug", "cooperative__name", "hs_code__code")
    autocomplete_fields = ("cooperative", "craft", "hs_code")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "cooperative_status",
        "reviewed_at",
        "reviewed_by",
        "rejection_reason",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("cooperative", "cooperative_status", "craft", "hs_code")}),
        (
            _("Description"),
            {"fields": ("title", "slug", "description", "materials", "dimensions")},
        ),
        (
            _("Sale"),
            {
                "fields": (
                    "price",
                    "weight_grams",
                    "stock",
                    "made_to_order",
                    "lead_time_days",
                    "is_featured",
                )
            },
        ),
        (
            _("Moderation"),
            {
                "description": _(
                    "The status changes through the list's actions (approve, reject), which "
                    "record who decided and when. Buyers see a published product only while "
                    "its cooperative is verified."
                ),
                "fields": (
                    "status",
                    "reviewed_at",
                    "reviewed_by",
                    "rejection_reason",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    )
    inlines = (ProductImageInline, ProductLabelInline)
    actions = ("approve_selected", "reject_selected")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        # The cover thumbnail: one query for every row's photos, whatever the page size.
        images = Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk"))
        return super().get_queryset(request).prefetch_related(images)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra_context = {**(extra_context or {}), "pending_count": pending_count(request)}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("photo"))
    def cover_thumbnail(self, product: Product) -> str:
        return thumbnail(product.cover)

    @admin.display(description=_("cooperative status"), ordering="cooperative__status")
    def cooperative_status(self, product: Product) -> str:
        return product.cooperative.get_status_display()

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        refresh_search_documents(Product.objects.filter(pk=form.instance.pk))

    @admin.action(description=_("Approve selected products"), permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        decide_each(
            request,
            queryset,
            approve_product,
            done=lambda count: ngettext(
                "%(count)d product approved.", "%(count)d products approved.", count
            ),
        )

    @admin.action(description=_("Reject selected products with a reason"), permissions=["change"])
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Product]
    ) -> HttpResponse | None:
        return decide_each_with_reason(
            self,
            request,
            queryset,
            reject_product,
            title=_("Reject products"),
            done=lambda count: ngettext(
                "%(count)d product rejected.", "%(count)d products rejected.", count
            ),
        )


def decide_each(
    request: HttpRequest, queryset: QuerySet, decide: Callable, *, done: Callable[[int], str]
) -> None:
    """Apply a moderator's decision to each selected row, then tell how many and what was
    refused; done(count) is the message for the count."""
    decided, errors = 0, []
    for row in queryset:
        try:
            decide(row, by=request.user)
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            decided += 1
    report(request, decided, done(decided) % {"count": decided}, errors)


def decide_each_with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    decide: Callable,
    *,
    title: str,
    done: Callable[[int], str],
    help_text: str = "",
) -> HttpResponse | None:
    """Ask the moderator's reason on an intermediate page, then decide each row with it."""
    page, decided, errors = ask_reason(
        modeladmin,
        request,
        queryset,
        title=title,
        apply=lambda row, reason: decide(row, by=request.user, reason=reason),
    )
    if page:
        if help_text:
            page.context_data["form"].fields["reason"].help_text = help_text
        return page
    report(request, decided, done(decided) % {"count": decided}, errors)
    return None


# ---------------------------------------------------------------------------
# Reviews: moderated from the list's actions (catalog/reviews.py); reports flag them
# ---------------------------------------------------------------------------
# The reason is kept on the review for the moderators; nobody is mailed it.
REVIEW_REASON_HELP = _("Kept with the review, for the moderators. Nobody is mailed.")


class ReportedFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reported"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("Reported")), ("no", _("Not reported"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        if self.value() == "yes":
            return queryset.filter(report_total__gt=0)
        if self.value() == "no":
            return queryset.filter(report_total=0)
        return queryset


class ReviewPhotoInline(admin.TabularInline):
    model = ReviewPhoto
    fields = ("preview", "alt_text", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False

    @admin.display(description=_("preview"))
    def preview(self, photo: ReviewPhoto) -> str:
        if not photo.thumbnail:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="96" height="96" class="souk-admin-thumb">',
            photo.thumbnail.url,
        )


class ReviewReportInline(admin.TabularInline):
    model = ReviewReport
    fields = ("reason", "reporter", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-only but for the actions: the buyer's words are theirs, the decisions recorded."""

    # What a moderator decides on first (status, reports) before what the row is about.
    list_display = (
        "rating",
        "author_name",
        "status",
        "report_count",
        "product",
        "cooperative",
        "helpful_count",
        "created_at",
    )
    list_display_links = ("rating", "author_name")
    list_filter = ("status", ReportedFilter, "rating", "language")
    list_select_related = ("product", "cooperative")
    search_fields = ("author_name", "text", "product__title", "cooperative__name")
    date_hierarchy = "created_at"
    fields = (
        "product",
        "cooperative",
        "order_line",
        "author",
        "author_name",
        "country",
        "language",
        "rating",
        "text",
        "status",
        "moderation_reason",
        "moderated_at",
        "moderated_by",
        "helpful_count",
        "reply",
        "replied_at",
        "replied_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (ReviewPhotoInline, ReviewReportInline)
    actions = ("publish_selected", "hide_selected", "reject_selected")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return super().get_queryset(request).annotate(report_total=Count("reports"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only buyers write reviews, from their orders

    def has_delete_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False  # hide or reject instead: the decision stays on record

    @admin.display(description=_("reports"), ordering="report_total")
    def report_count(self, review: Review) -> str:
        if not review.report_total:
            return "0"
        return format_html("<strong>⚑ {}</strong>", review.report_total)

    @admin.action(description=_("Publish selected reviews"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        decide_each(
            request,
            queryset,
            publish_review,
            done=lambda count: ngettext(
                "%(count)d review published.", "%(count)d reviews published.", count
            ),
        )

    @admin.action(description=_("Hide selected reviews, with a reason"), permissions=["change"])
    def hide_selected(
        self, request: HttpRequest, queryset: QuerySet[Review]
    ) -> HttpResponse | None:
        return decide_each_with_reason(
            self,
            request,
            queryset,
            hide_review,
            title=_("Hide reviews"),
            done=lambda count: ngettext(
                "%(count)d review hidden.", "%(count)d reviews hidden.", count
            ),
            help_text=REVIEW_REASON_HELP,
        )

    @admin.action(description=_("Reject selected reviews, with a reason"), permissions=["change"])
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Review]
    ) -> HttpResponse | None:
        return decide_each_with_reason(
            self,
            request,
            queryset,
            reject_review,
            title=_("Reject reviews"),
            done=lambda count: ngettext(
                "%(count)d review rejected.", "%(count)d reviews rejected.", count
            ),
            help_text=REVIEW_REASON_HELP,
        )
