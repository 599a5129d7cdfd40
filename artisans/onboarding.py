"""A cooperative joins Souk: registration by a signed-in user, then its profile and photos.

A registered cooperative is pending until an admin verifies it (artisans/verification.py);
meanwhile its members may prepare products but not submit them. The forms hand over files
already checked and re-encoded (artisans/forms.py): this module names and writes them, after
validation only, and removes them again if the rows that point at them are not committed.
"""

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import mail_admins
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from artisans.browsing import forget_listings_on_commit
from artisans.images import NewFiles, delete_files
from artisans.models import (
    Cooperative,
    CooperativePhoto,
    CooperativeStatus,
    Membership,
    MembershipRole,
)
from artisans.owner_mail import mail_owners_on_commit, site_url
from artisans.slugs import save_with_free_slug

if TYPE_CHECKING:  # marketplace depends on artisans, never the other way round
    from marketplace.models import User

# The slug of a name that slugifies to nothing (Arabic, say): "cooperative", "cooperative-2"...
FALLBACK_SLUG = "cooperative"
# Room for "-12345" after the name's slug within Cooperative.slug.
SLUG_BASE_LENGTH = Cooperative._meta.get_field("slug").max_length - 6
# Photos of the workshop a cooperative may show on its page.
MAX_COOPERATIVE_PHOTOS = 12


def register_cooperative(
    owner: "User",
    *,
    profile: dict,
    logo: File | None = None,
    photos: Sequence[File] = (),
    photo_alt_text: str = "",
) -> Cooperative:
    """Register a pending cooperative owned by owner, with its logo and workshop photos.

    The files must be checked and re-encoded already (the registration form does it). Call
    it outside any transaction: when it returns, the rows are committed and the files exist;
    when it raises, neither a row nor a file is left.
    """
    with NewFiles() as files:
        logo_name = files.write(Cooperative, {"logo": logo})["logo"] if logo else ""
        photo_names = [files.write(CooperativePhoto, {"image": photo})["image"] for photo in photos]
        return _create_cooperative(
            owner,
            profile=profile,
            logo=logo_name,
            photos=photo_names,
            alt_text=photo_alt_text[:200],
        )


@transaction.atomic(durable=True)
def _create_cooperative(
    owner: "User", *, profile: dict, logo: str, photos: Sequence[str], alt_text: str
) -> Cooperative:
    cooperative = Cooperative(**profile, logo=logo, status=CooperativeStatus.PENDING)
    save_with_free_slug(
        cooperative, text=cooperative.name, fallback=FALLBACK_SLUG, base_length=SLUG_BASE_LENGTH
    )
    Membership.objects.create(user=owner, cooperative=cooperative, role=MembershipRole.OWNER)
    CooperativePhoto.objects.bulk_create(
        CooperativePhoto(cooperative=cooperative, image=name, alt_text=alt_text, position=index)
        for index, name in enumerate(photos)
    )
    mail_owners_on_commit(cooperative.pk, partial(_receipt_mail, cooperative))
    _mail_admins_on_commit(cooperative.pk)
    return cooperative


def update_profile(
    cooperative: Cooperative, *, profile: dict, logo: File | bool | None = None
) -> Cooperative:
    """Change the cooperative's profile; logo: a new (re-encoded) file, False to remove, None
    to keep. The old logo file goes once the change is committed."""
    old_logo = cooperative.logo.name
    with NewFiles() as files:
        if logo:
            new_logo = files.write(Cooperative, {"logo": logo})["logo"]
        else:
            new_logo = "" if logo is False else old_logo
        changed = _assign(cooperative, {**profile, "logo": new_logo})
        if not changed:  # saved as it was: nothing to write, no page or search text to renew
            return cooperative
        with transaction.atomic(durable=True):
            # Only the fields that changed: a new name, city or region rebuilds the search text
            # of all the cooperative's products (catalog/search.py, on post_save), which
            # also drops the cached public pages (artisans/apps.py).
            cooperative.save(update_fields=[*changed, "updated_at"])
            if old_logo and old_logo != new_logo:
                transaction.on_commit(partial(delete_files, [old_logo]))
    return cooperative


def add_photos(
    cooperative: Cooperative, photos: Sequence[File], *, alt_text: str = ""
) -> list[CooperativePhoto]:
    """Add checked, re-encoded photos after the cooperative's others; at most 12 in all."""
    with NewFiles() as files:
        names = [files.write(CooperativePhoto, {"image": photo})["image"] for photo in photos]
        return _attach_photos(cooperative, names, alt_text=alt_text[:200])


@transaction.atomic(durable=True)
def _attach_photos(
    cooperative: Cooperative, names: Sequence[str], *, alt_text: str
) -> list[CooperativePhoto]:
    current = cooperative.photos.aggregate(count=Count("pk"), last=Max("position"))
    if current["count"] + len(names) > MAX_COOPERATIVE_PHOTOS:
        raise ValidationError(
            gettext(
                "A cooperative shows at most %(limit)d photos and yours has %(count)d: "
                "delete some before adding more."
            ),
            code="too_many_photos",
            params={"limit": MAX_COOPERATIVE_PHOTOS, "count": current["count"]},
        )
    start = 0 if current["last"] is None else current["last"] + 1
    photos = CooperativePhoto.objects.bulk_create(
        CooperativePhoto(cooperative=cooperative, image=name, alt_text=alt_text, position=index)
        for index, name in enumerate(names, start=start)
    )
    forget_listings_on_commit()  # bulk_create sends no post_save: drop the cached pages here
    return photos


def delete_photo(photo: CooperativePhoto) -> None:
    """Delete the photo's row, and its file once the deletion is committed."""
    name = photo.image.name
    with transaction.atomic(durable=True):
        photo.delete()  # post_delete drops the cached public pages
        transaction.on_commit(partial(delete_files, [name]))


def _assign(cooperative: Cooperative, values: dict) -> list[str]:
    """Set the values on the cooperative; return the names of the fields that changed."""
    fields = [Cooperative._meta.get_field(name) for name in values]
    # value_from_object() reads a foreign key's id: comparing reads no related row.
    before = [field.value_from_object(cooperative) for field in fields]
    for name, value in values.items():
        setattr(cooperative, name, value)
    return [
        field.name
        for field, old in zip(fields, before, strict=True)
        if field.value_from_object(cooperative) != old
    ]


def _receipt_mail(cooperative: Cooperative) -> tuple[str, str]:
    params = {
        "name": cooperative.name,
        "url": site_url(reverse("workspace:dashboard", args=[cooperative.pk])),
    }
    subject = gettext("Souk received the registration of %(name)s") % params
    body = (
        gettext(
            "Hello,\n\n"
            "Thank you for registering %(name)s on Souk. We will check your cooperative and "
            "write to you once it is verified, usually within a few working days.\n\n"
            "Meanwhile you can prepare your products in your workspace; you can submit them "
            "for review once the cooperative is verified:\n%(url)s\n\n"
            "The Souk team"
        )
        % params
    )
    return subject, body


def _mail_admins_on_commit(cooperative_id: int) -> None:
    """Tell Souk's admins a cooperative waits for verification, once it is committed."""

    def tell_admins() -> None:  # a named function: Django's robust on_commit logs its name
        cooperative = Cooperative.objects.select_related("region").get(pk=cooperative_id)
        with translation.override(settings.LANGUAGE_CODE):
            url = site_url(reverse("admin:artisans_cooperative_change", args=[cooperative_id]))
            mail_admins(
                gettext("New cooperative to verify: %(name)s") % {"name": cooperative.name},
                gettext("%(name)s (%(city)s, %(region)s) registered on Souk.\n\nVerify it: %(url)s")
                % {
                    "name": cooperative.name,
                    "city": cooperative.city,
                    "region": cooperative.region,
                    "url": url,
                },
            )

    # robust: a mail server down must not turn a committed registration into a 500.
    transaction.on_commit(tell_admins, robust=True)
