from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One of Morocco's 12 regions (2015 division); the name is translated."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class LegalForm(models.TextChoices):
    COOPERATIVE = "cooperative", _("cooperative")
    ASSOCIATION = "association", _("association")
    COMPANY = "company", _("company")
    INDIVIDUAL = "individual", _("individual artisan")


class CooperativeStatus(models.TextChoices):
    PENDING = "pending", _("pending verification")
    VERIFIED = "verified", _("verified")
    SUSPENDED = "suspended", _("suspended")


class CooperativeQuerySet(models.QuerySet):
    def verified(self) -> "CooperativeQuerySet":
        return self.filter(status=CooperativeStatus.VERIFIED)

    def for_member(self, user) -> "CooperativeQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Cooperative(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True, allow_unicode=False)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm, default=LegalForm.COOPERATIVE
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cooperatives", verbose_name=_("region")
    )
    city = models.CharField(_("city"), max_length=100)
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("members"), default=1)
    women_member_count = models.PositiveIntegerField(_("women members"), default=0)
    youth_led = models.BooleanField(
        _("youth-led"), default=False, help_text=_("Led by artisans under 35.")
    )
    story = models.TextField(
        _("story"),
        blank=True,
        help_text=_("Who you are, how you work, where your craft comes from."),
    )
    logo = models.ImageField(_("logo"), upload_to="cooperatives/logos/", blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CooperativeStatus, default=CooperativeStatus.PENDING
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CooperativeStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(legal_form__in=LegalForm.values),
                name="%(app_label)s_%(class)s_legal_form_valid",
            ),
            models.CheckConstraint(
                condition=Q(women_member_count__lte=models.F("member_count")),
                name="%(app_label)s_%(class)s_women_within_members",
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1900),
                name="%(app_label)s_%(class)s_founded_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("artisans:cooperative_detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.status == CooperativeStatus.VERIFIED


class CooperativePhoto(models.Model):
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="photos", verbose_name=_("cooperative")
    )
    image = models.ImageField(_("image"), upload_to="cooperatives/photos/")
    alt_text = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cooperative photo")
        verbose_name_plural = _("cooperative photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("owner")
    MANAGER = "manager", _("manager")
    MEMBER = "member", _("member")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("cooperative"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cooperative"], name="%(app_label)s_%(class)s_once_per_cooperative"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="%(app_label)s_%(class)s_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.cooperative} ({self.get_role_display()})"


class Invitation(models.Model):
    """An owner's invitation to join the cooperative with a role, sent by mail with a token."""

    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("cooperative"),
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole, default=MembershipRole.MEMBER
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per address and cooperative: inviting again renews it.
            models.UniqueConstraint(
                fields=["cooperative", "email"],
                condition=Q(accepted_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="%(app_label)s_%(class)s_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cooperative} ({self.get_role_display()})"


class LabelKind(models.TextChoices):
    COLLECTIVE_BRAND = "collective_brand", _("collective brand")
    CERTIFICATION = "certification", _("certification")
    GEOGRAPHICAL_INDICATION = "geographical_indication", _("geographical indication")


class Label(models.Model):
    """A label scheme: Morocco Handmade, a collective brand, a geographical indication.

    Name, issuer and description are translated. Cooperatives and products hold a label
    through CooperativeLabel and ProductLabel, each with its own certificate and expiry date.
    """

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=LabelKind)
    issuer = models.CharField(
        _("issuer"),
        max_length=200,
        help_text=_("Who grants the label, e.g. the ministry in charge of handicrafts."),
    )
    description = models.TextField(_("description"), blank=True)
    has_levels = models.BooleanField(
        _("has levels"),
        default=False,
        help_text=_("Holders are certified at a level, which their certificate names."),
    )

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["kind", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LabelKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def site_today() -> date:
    """Today in the site's time zone (Morocco): a label expires at the end of its last day."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def check_level(label: Label | None, level: str) -> None:
    """Raise ValidationError unless a level is given exactly when the label has levels."""
    if label is None:
        return
    if label.has_levels and not level:
        raise ValidationError(
            {"level": _("This label is granted at a level: type the level on the certificate.")},
            code="level_required",
        )
    if not label.has_levels and level:
        raise ValidationError(
            {"level": _("This label has no levels: leave the level empty.")},
            code="level_not_allowed",
        )


class ProductLabelQuerySet(models.QuerySet):
    def current(self, today: date | None = None) -> "ProductLabelQuerySet":
        """Labels not expired on `today` (the site's date by default): pages show these."""
        today = today or site_today()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))

    def expired(self, today: date | None = None) -> "ProductLabelQuerySet":
        return self.filter(valid_until__lt=today or site_today())


class CooperativeLabelQuerySet(ProductLabelQuerySet):
    def current(self, today: date | None = None) -> "CooperativeLabelQuerySet":
        # A certificate whose validity starts later is not held yet.
        today = today or site_today()
        return super().current(today).filter(valid_from__lte=today)


class CooperativeLabel(models.Model):
    """A cooperative's certificate for a label; a renewal is a new certificate number."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="labels", verbose_name=_("cooperative")
    )
    label = models.ForeignKey(
        Label,
        on_delete=models.PROTECT,
        related_name="cooperative_holdings",
        verbose_name=_("label"),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100)
    level = models.CharField(
        _("level"),
        max_length=50,
        blank=True,
        help_text=_("As written on the certificate, e.g. “Gold”; only for labels with levels."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day of validity; leave empty if the label does not expire."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CooperativeLabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperative label")
        verbose_name_plural = _("cooperative labels")
        ordering = ["label", "-valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "label", "certificate_number"],
                name="%(app_label)s_%(class)s_certificate_once",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_until_after_from",
                violation_error_message=_("The certificate must end on or after its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.cooperative} ({self.certificate_number})"

    def clean(self) -> None:
        super().clean()
        check_level(self.label if self.label_id else None, self.level)

    @property
    def is_current(self) -> bool:
        """The same rule as CooperativeLabel.objects.current(), for one row in hand."""
        today = site_today()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until >= today)


class ProductLabel(models.Model):
    """A product's certificate for a label, e.g. a carpet under a geographical indication."""

    # A string reference: artisans never imports the catalog app.
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="labels",
        verbose_name=_("product"),
    )
    label = models.ForeignKey(
        Label,
        on_delete=models.PROTECT,
        related_name="product_holdings",
        verbose_name=_("label"),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    level = models.CharField(
        _("level"),
        max_length=50,
        blank=True,
        help_text=_("As written on the certificate, e.g. “Gold”; only for labels with levels."),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day of validity; leave empty if the label does not expire."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProductLabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("product label")
        verbose_name_plural = _("product labels")
        ordering = ["label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "label"], name="%(app_label)s_%(class)s_once_per_product"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.product}"

    def clean(self) -> None:
        super().clean()
        check_level(self.label if self.label_id else None, self.level)

    @property
    def is_current(self) -> bool:
        """The same rule as ProductLabel.objects.current(), for one row in hand."""
        return self.valid_until is None or self.valid_until >= site_today()
