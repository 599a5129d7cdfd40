"""The admin site itself, and the people who use Souk."""

from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from artisans.models import Membership
from marketplace.models import User

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
