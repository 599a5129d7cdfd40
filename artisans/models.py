from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
