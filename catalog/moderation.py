"""Moderate products: approve a pending product for sale, or reject it with a reason.

An approved product is `published`, but buyers see it only while its cooperative is
verified (Product.objects.published() requires both): a moderator may approve the products
of a cooperative still pending verification, and they appear the day it is verified.
"""

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from artisans.browsing import forget_listings_on_commit
from artisans.owner_mail import mail_owners_on_commit, site_url
from catalog.models import HSCodeLevel, Product, ProductStatus
from catalog.search import refresh_search_documents

if TYPE_CHECKING:  # marketplace depends on catalog, never the other way round
    from catalog.models import Review
    from marketplace.models import User

# Statuses a moderator may reject from: a pending product, or a published one taken down.
REJECTABLE = (ProductStatus.PENDING, ProductStatus.PUBLISHED)


def approval_problems(product: Product) -> list[ValidationError]:
    """What keeps the product from being approved; empty when it can be."""
    problems = []
    if product.status != ProductStatus.PENDING:
        problems.append(
            ValidationError(
                gettext("“%(title)s” is not awaiting review (it is %(status)s)."),
                code="not_pending",
                params={"title": product.title, "status": product.get_status_display()},
            )
        )
    # Customs need the 6-digit subheading, and shipping and customs both need a weight.
    if product.hs_code is None or product.hs_code.level != HSCodeLevel.SUBHEADING:
        problems.append(
            ValidationError(
                gettext("“%(title)s” needs a 6-digit HS subheading."),
                code="hs_code_required",
                params={"title": product.title},
            )
        )
    if not product.weight_grams:
        problems.append(
            ValidationError(
                gettext("“%(title)s” needs its weight."),
                code="weight_required",
                params={"title": product.title},
            )
        )
    if not product.images.exists():
        problems.append(
            ValidationError(
                gettext("“%(title)s” needs at least one photo."),
                code="photo_required",
                params={"title": product.title},
            )
        )
    return problems


@transaction.atomic(durable=True)
def approve_product(product: Product, *, by: "User") -> Product:
    """Publish a pending product that has an HS subheading, a weight and a photo."""
    product.refresh_from_db()
    if problems := approval_problems(product):
        raise ValidationError(problems)
    _review(product, ProductStatus.PUBLISHED, by=by, reason="", allowed=(ProductStatus.PENDING,))
    mail_owners_on_commit(product.cooperative_id, partial(_approved_mail, product))
    return product


@transaction.atomic(durable=True)
def reject_product(product: Product, *, by: "User", reason: str) -> Product:
    """Refuse a pending product, or take down a published one, saying why to its owners."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            gettext("Give the reason for the rejection: the cooperative will read it."),
            code="reason_required",
        )
    _review(product, ProductStatus.REJECTED, by=by, reason=reason, allowed=REJECTABLE)
    mail_owners_on_commit(product.cooperative_id, partial(_rejected_mail, product))
    return product


def move_status(row: "Product | Review", status: str, *, allowed: Iterable[str], **fields) -> bool:
    """Move the row to status, setting fields, if it is still in an allowed status; refresh the
    instance. Return False if it was not there any more."""
    # A conditional update: of two moderators deciding at once, the second one is told, on
    # SQLite as on PostgreSQL.
    moved = type(row).objects.filter(pk=row.pk, status__in=allowed).update(status=status, **fields)
    row.refresh_from_db()
    return bool(moved)


def _review(
    product: Product, status: str, *, by: "User", reason: str, allowed: tuple[str, ...]
) -> None:
    """Move the product to status if it is still in an allowed one; refresh the instance."""
    now = timezone.now()
    decision = {"reviewed_at": now, "reviewed_by": by, "rejection_reason": reason}
    if not move_status(product, status, allowed=allowed, **decision, updated_at=now):
        raise ValidationError(
            gettext("“%(title)s” cannot be reviewed now (it is %(status)s)."),
            code="not_reviewable",
            params={"title": product.title, "status": product.get_status_display()},
        )
    refresh_search_documents(Product.objects.filter(pk=product.pk))
    forget_listings_on_commit()  # the status changed by update(), which sends no signal


def _approved_mail(product: Product) -> tuple[str, str]:
    params = {"title": product.title, "url": site_url(product.get_absolute_url())}
    subject = gettext("“%(title)s” is approved") % params
    if product.cooperative.is_verified:
        body = gettext(
            "Hello,\n\n"
            "A Souk moderator approved “%(title)s”. Buyers can now find and order it:\n"
            "%(url)s\n\n"
            "The Souk team"
        )
    else:
        body = gettext(
            "Hello,\n\n"
            "A Souk moderator approved “%(title)s”. Buyers will see it as soon as your "
            "cooperative is verified.\n\n"
            "The Souk team"
        )
    return subject, body % params


def _rejected_mail(product: Product) -> tuple[str, str]:
    params = {"title": product.title, "reason": product.rejection_reason}
    subject = gettext("“%(title)s” was not approved") % params
    body = gettext(
        "Hello,\n\n"
        "A Souk moderator did not approve “%(title)s”, and buyers do not see it.\n\n"
        "The reason:\n%(reason)s\n\n"
        "Change what the reason asks for, then submit the product for review again.\n\n"
        "The Souk team"
    )
    return subject, body % params
