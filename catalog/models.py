from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from artisans.models import CooperativeStatus


class CraftBranch(models.Model):
    """One of the 13 production categories of Moroccan handicraft."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("craft branch")
        verbose_name_plural = _("craft branches")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class HSCodeLevel(models.IntegerChoices):
    CHAPTER = 2, _("chapter")
    HEADING = 4, _("heading")
    SUBHEADING = 6, _("subheading")


class HSCodeQuerySet(models.QuerySet):
    def subheadings(self) -> "HSCodeQuerySet":
        return self.filter(level=HSCodeLevel.SUBHEADING)


class HSCode(models.Model):
    """A Harmonized System 2022 code: chapter, heading or 6-digit subheading."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=HSCodeLevel)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    section = models.CharField(_("section"), max_length=5, blank=True)
    description = models.TextField(_("description"))

    objects = HSCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=HSCodeLevel.values),
                name="%(app_label)s_%(class)s_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dotted_code} {self.description}"

    @property
    def dotted_code(self) -> str:
        """6109.10 style, as customs forms print it."""
        return (
            f"{self.code[:4]}.{self.code[4:]}"
            if self.level == HSCodeLevel.SUBHEADING
            else self.code
        )


class Craft(models.Model):
    branch = models.ForeignKey(
        CraftBranch, on_delete=models.PROTECT, related_name="crafts", verbose_name=_("branch")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    hs_code = models.ForeignKey(
        HSCode,
        on_delete=models.PROTECT,
        related_name="crafts",
        verbose_name=_("usual HS code"),
        help_text=_("The subheading products of this craft usually take."),
    )

    class Meta:
        verbose_name = _("craft")
        verbose_name_plural = _("crafts")
        ordering = ["branch__position", "slug"]

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING = "pending", _("pending review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    ARCHIVED = "archived", _("archived")


class ProductQuerySet(models.QuerySet):
    def published(self) -> "ProductQuerySet":
        return self.filter(
            status=ProductStatus.PUBLISHED, cooperative__status=CooperativeStatus.VERIFIED
        )

    def for_card(self) -> "ProductQuerySet":
        """What a product card shows: cooperative, craft, the first photo; constant queries."""
        return self.select_related("cooperative", "craft").prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk"))
        )

    def for_member(self, user) -> "ProductQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(cooperative__memberships__user=user)


class Product(models.Model):
    cooperative = models.ForeignKey(
        "artisans.Cooperative",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("cooperative"),
    )
    craft = models.ForeignKey(
        Craft, on_delete=models.PROTECT, related_name="products", verbose_name=_("craft")
    )
    hs_code = models.ForeignKey(
        HSCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("HS code"),
        help_text=_("The 6-digit customs subheading; required to publish."),
    )
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.TextField(_("description"), blank=True)
    materials = models.CharField(_("materials"), max_length=200, blank=True)
    dimensions = models.CharField(
        _("dimensions"), max_length=100, blank=True, help_text=_("For example 200 × 150 cm.")
    )
    weight_grams = models.PositiveIntegerField(
        _("weight (g)"),
        null=True,
        blank=True,
        help_text=_("Net weight, for customs and shipping."),
    )
    price = models.DecimalField(_("price (MAD)"), max_digits=12, decimal_places=2)
    stock = models.PositiveIntegerField(
        _("stock"), default=1, help_text=_("1 for a one-of-a-kind piece.")
    )
    made_to_order = models.BooleanField(_("made to order"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), null=True, blank=True, help_text=_("For made-to-order products.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProductStatus, default=ProductStatus.DRAFT
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    # Normalised text of title, description, craft and cooperative in every language; the
    # database's full-text index is built on it (catalog/search.py keeps it current).
    search_document = models.TextField(_("search document"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["status", "price"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gt=0), name="%(app_label)s_%(class)s_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProductStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(made_to_order=False) | Q(lead_time_days__gt=0),
                name="%(app_label)s_%(class)s_made_to_order_has_lead_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:product_detail", kwargs={"slug": self.slug})

    @property
    def in_stock(self) -> bool:
        return self.made_to_order or self.stock > 0

    @property
    def cover(self) -> "ProductImage | None":
        """The first photo, from the prefetched images when there are some."""
        images = list(self.images.all())
        return images[0] if images else None


class ProductImage(models.Model):
    """A product photo, re-encoded on upload, with the sizes the pages use."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    image = models.ImageField(
        _("image"), upload_to="products/", width_field="width", height_field="height"
    )
    card = models.ImageField(_("card size"), upload_to="products/card/", editable=False)
    thumbnail = models.ImageField(_("thumbnail"), upload_to="products/thumb/", editable=False)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt_text = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name
