from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from artisans.labels import badge_prefetches
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

    def for_card(self, *, cooperative_badges: bool = True) -> "ProductQuerySet":
        """What a product card shows: cooperative, craft, the first photo and the badges of the
        product's current labels and its cooperative's; constant queries.

        `cooperative_badges=False` on a page that shows the cooperative's badges once, above.
        """
        return self.select_related("cooperative", "craft").prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk")),
            *badge_prefetches(cooperatives=cooperative_badges),
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


# ---------------------------------------------------------------------------
# Reviews: by the buyer of a paid order line, moderated, answered once by the cooperative
# (the rules are catalog/reviews.py's)
# ---------------------------------------------------------------------------
REVIEWS_PER_PAGE = 10


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    HIDDEN = "hidden", _("hidden")
    REJECTED = "rejected", _("rejected")


class ReviewSort(models.TextChoices):
    NEWEST = "newest", _("Newest first")
    HELPFUL = "helpful", _("Most helpful first")


@dataclass(frozen=True)
class StarShare:
    """How many published reviews gave this many stars, and their share (rounded %)."""

    stars: int
    count: int
    percent: int


@dataclass(frozen=True)
class RatingSummary:
    """The published reviews in figures, as the product and cooperative pages show them."""

    count: int
    average: Decimal | None  # one decimal place; None without reviews
    distribution: tuple[StarShare, ...]  # 5 stars first
    satisfaction: int | None  # share of 4 and 5 stars, rounded %; None without reviews


@dataclass(frozen=True)
class ReviewsPage:
    """What a page's reviews section shows: the figures, then one page of reviews."""

    summary: RatingSummary
    page: Page
    sort: str


def rounded_percent(part: int, whole: int) -> int:
    """part / whole as a percentage rounded half up (Decimal: 2.5 → 3, unlike round())."""
    share = Decimal(100 * part) / Decimal(whole)
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class ReviewQuerySet(models.QuerySet):
    def published(self) -> "ReviewQuerySet":
        return self.filter(status=ReviewStatus.PUBLISHED)

    def for_display(self) -> "ReviewQuerySet":
        """What a review shows: its photos, the cooperative that replies, the product's title."""
        return (
            self.select_related("product", "cooperative")
            .defer("product__search_document", "product__description", "cooperative__story")
            .prefetch_related(
                Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "pk"))
            )
        )

    def sorted_by(self, sort: str) -> "ReviewQuerySet":
        if sort == ReviewSort.HELPFUL:
            return self.order_by("-helpful_count", "-created_at", "-pk")
        return self.order_by("-created_at", "-pk")

    def rating_summary(self) -> RatingSummary:
        """Count, average, distribution and satisfaction of the published reviews: one query.

        Computed from the rows each time (a GROUP BY over at most five groups), so a hidden
        or edited review changes the figures at once.
        """
        rows = self.published().order_by().values_list("rating").annotate(count=Count("pk"))
        counts = dict(rows)
        total = sum(counts.values())
        if not total:
            empty = tuple(StarShare(stars, 0, 0) for stars in range(5, 0, -1))
            return RatingSummary(count=0, average=None, distribution=empty, satisfaction=None)
        points = sum(rating * count for rating, count in counts.items())
        average = (Decimal(points) / Decimal(total)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        return RatingSummary(
            count=total,
            average=average,
            distribution=tuple(
                StarShare(stars, counts.get(stars, 0), rounded_percent(counts.get(stars, 0), total))
                for stars in range(5, 0, -1)
            ),
            satisfaction=rounded_percent(counts.get(4, 0) + counts.get(5, 0), total),
        )

    def reviews_page(self, *, sort: str, number: int | str) -> ReviewsPage:
        """The published reviews' figures and one page of them: three queries at most.

        An unknown sort is the newest first; a page that is not a number the first, one past
        the end the last (Paginator.get_page).
        """
        sort = sort if sort in ReviewSort.values else ReviewSort.NEWEST
        summary = self.rating_summary()
        paginator = Paginator(self.published().for_display().sorted_by(sort), REVIEWS_PER_PAGE)
        paginator.count = summary.count  # known already: spares a COUNT query
        return ReviewsPage(summary=summary, page=paginator.get_page(number), sort=sort)


class Review(models.Model):
    """A buyer's stars and words about one line of a paid order, once per line."""

    order_line = models.OneToOneField(
        "marketplace.OrderLine",
        on_delete=models.PROTECT,
        related_name="review",
        verbose_name=_("order line"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("product")
    )
    cooperative = models.ForeignKey(
        "artisans.Cooperative",
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("cooperative"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("author"),
    )
    # Shown with the review ("Claire M."): kept even if the account is closed.
    author_name = models.CharField(_("author's name"), max_length=80, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Where the order was shipped.")
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus, default=ReviewStatus.PENDING
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    helpful_count = models.PositiveIntegerField(_("found helpful"), default=0)
    reply = models.TextField(_("cooperative's reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["product", "status", "-created_at"]),
            models.Index(fields=["cooperative", "status", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="%(app_label)s_%(class)s_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(reply="") | Q(replied_at__isnull=False),
                name="%(app_label)s_%(class)s_reply_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.author_name} (#{self.pk})"


class ReviewPhoto(models.Model):
    """A buyer's photo, re-encoded on upload like a product photo, with a thumbnail."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="photos", verbose_name=_("review")
    )
    image = models.ImageField(
        _("image"), upload_to="reviews/", width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to="reviews/thumb/", editable=False)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt_text = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class ReportReason(models.TextChoices):
    OFFENSIVE = "offensive", _("Offensive or hateful")
    OFF_TOPIC = "off_topic", _("Not about this piece")
    PERSONAL = "personal", _("Shows personal information")
    SPAM = "spam", _("Advertising or spam")
    FALSE = "false", _("Misleading or false")


class ReviewReport(models.Model):
    """A signed-in visitor's report that a review breaks the rules; once per person."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="reports", verbose_name=_("review")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reporter"], name="%(app_label)s_%(class)s_once_per_reporter"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values),
                name="%(app_label)s_%(class)s_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.get_reason_display()}"


class ReviewVote(models.Model):
    """One person found a review helpful; counted once in Review.helpful_count."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="votes", verbose_name=_("review")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_votes",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"], name="%(app_label)s_%(class)s_once_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} ← {self.user_id}"
