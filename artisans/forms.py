"""Forms of the seller workspace's cooperative pages: profile, photos, members, invitations.

Uploads are checked and re-encoded while the form is cleaned (artisans/images.py), so an
unreadable file is an error beside its field, and what the domain functions receive are our
own bytes, never the uploader's.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.images import ACCEPTED_TYPES, reencode_logo, reencode_photo
from artisans.models import Cooperative, MembershipRole, Region
from artisans.onboarding import MAX_COOPERATIVE_PHOTOS
from artisans.phones import clean_phone_number

OLDEST_FOUNDING_YEAR = 1900
ROLE_CHOICES = [(value, capfirst(label)) for value, label in MembershipRole.choices]


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that picks several files at once (Django's "Uploading multiple files")."""

    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input, each through FileField's checks; errors name the file.

    By default each photo is also checked and re-encoded here, at most max_files of them
    (a cooperative's workshop). reencode=False, max_files=None return the uploads as sent,
    for a caller that checks, counts and stores them one by one (catalog.listing.add_photos).
    """

    def __init__(
        self,
        *args,
        max_files: int | None = MAX_COOPERATIVE_PHOTOS,
        reencode: bool = True,
        **kwargs,
    ) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}))
        super().__init__(*args, **kwargs)
        self.max_files = max_files
        self.reencode = reencode

    def clean(self, data, initial=None) -> list:
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if self.max_files is not None and len(uploads) > self.max_files:
            raise ValidationError(
                gettext("Choose at most %(limit)d photos; you chose %(count)d."),
                code="too_many_photos",
                params={"limit": self.max_files, "count": len(uploads)},
            )
        errors, photos = [], []
        for upload in uploads:
            try:
                checked = super().clean(upload, initial)
                photos.append(reencode_photo(checked) if self.reencode else checked)
            except ValidationError as error:
                # Several files in one field: say which one each message is about.
                errors.extend(
                    ValidationError(
                        gettext("%(file)s: %(problem)s"),
                        code=getattr(error, "code", None),
                        params={"file": getattr(upload, "name", ""), "problem": message},
                    )
                    for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return photos


def photos_alt_text_field() -> forms.CharField:
    """One description for all the photos sent together, for screen readers."""
    return forms.CharField(
        label=_("What the photos show"),
        required=False,
        max_length=200,
        help_text=_(
            "Optional. Read aloud to blind visitors, for example “Women weaving at the loom”."
        ),
    )


class CooperativeProfileForm(forms.ModelForm):
    """What a cooperative tells buyers about itself; the owners keep it up to date."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES}),
        help_text=_("Optional. A square picture works best: JPEG, PNG or WebP."),
    )

    class Meta:
        model = Cooperative
        fields = [
            "name",
            "legal_form",
            "region",
            "city",
            "founded_year",
            "member_count",
            "women_member_count",
            "youth_led",
            "story",
            "email",
            "phone",
        ]
        labels = {
            "name": _("Name of the cooperative"),
            "founded_year": _("Year founded"),
            "member_count": _("Number of members"),
            "women_member_count": _("Of whom women"),
            "story": _("Your story"),
            "email": _("Contact email"),
            "phone": _("Phone"),
        }
        help_texts = {
            "name": _("As buyers will see it, in any language."),
            "city": _("The town or village where you work."),
            "founded_year": _("Optional. For example 2012."),
            "member_count": _("Everyone who belongs to the cooperative, you included."),
            "women_member_count": _("How many of the members are women. 0 if none."),
            "story": _("Who you are, how you work, where your craft comes from."),
            "email": _("Optional. Where Souk and buyers' questions can reach you."),
            "phone": _("Optional. For example +212 6 12 34 56 78."),
        }
        widgets = {
            "story": forms.Textarea(attrs={"rows": 6}),
            "founded_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "member_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "women_member_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = Region.objects.order_by("position")
        region.empty_label = gettext("Choose your region")
        this_year = timezone.now().year
        self.fields["founded_year"].widget.attrs.update(min=OLDEST_FOUNDING_YEAR, max=this_year)
        self.fields["member_count"].validators.append(MinValueValidator(1))

    def clean_founded_year(self) -> int | None:
        year = self.cleaned_data.get("founded_year")
        this_year = timezone.now().year
        if year is not None and not OLDEST_FOUNDING_YEAR <= year <= this_year:
            raise ValidationError(
                gettext("Give a year between %(oldest)d and %(this_year)d."),
                code="founded_year_out_of_range",
                params={"oldest": OLDEST_FOUNDING_YEAR, "this_year": this_year},
            )
        return year

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        return clean_phone_number(phone) if phone else ""  # optional

    def clean_logo(self) -> ContentFile | bool | None:
        """A new logo re-encoded (the stored bytes are ours), False to remove it, None to keep."""
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return reencode_logo(logo)
        return False if logo is False else None

    def clean(self) -> dict:
        cleaned = super().clean()
        members, women = cleaned.get("member_count"), cleaned.get("women_member_count")
        # The database refuses it too (a CheckConstraint); say it beside the field first.
        if members is not None and women is not None and women > members:
            self.add_error(
                "women_member_count",
                ValidationError(
                    gettext("The women members cannot be more than all the members (%(members)d)."),
                    code="women_above_members",
                    params={"members": members},
                ),
            )
        return cleaned

    @property
    def profile(self) -> dict:
        """The cleaned profile fields, as the domain functions take them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class RegistrationForm(CooperativeProfileForm):
    """A new cooperative: its profile, and optionally photos of the workshop."""

    photos = MultiplePhotoField(
        label=_("Photos of your workshop"),
        required=False,
        help_text=_("Optional. You can choose several photos at once: JPEG, PNG or WebP."),
    )
    photo_alt_text = photos_alt_text_field()


class AddPhotosForm(forms.Form):
    photos = MultiplePhotoField(
        label=_("Photos of your workshop"),
        help_text=_("You can choose several photos at once: JPEG, PNG or WebP."),
    )
    alt_text = photos_alt_text_field()


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        help_text=_("Souk mails them a link to join. They sign up or log in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        initial=MembershipRole.MEMBER,
        help_text=_(
            "Members list products and ship orders; managers also see sales and payouts; "
            "owners also manage the profile and the members."
        ),
    )
