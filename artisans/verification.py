"""Verify and suspend cooperatives: who decided, when, why; the owners are told by mail.

Only a verified cooperative is shown to buyers, and Product.objects.published() requires
one: suspending a cooperative hides its page and every product of it at once.
"""

from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from artisans.browsing import forget_listings_on_commit
from artisans.models import Cooperative, CooperativeStatus
from artisans.owner_mail import mail_owners_on_commit, site_url

if TYPE_CHECKING:  # marketplace depends on artisans, never the other way round
    from marketplace.models import User

# Sent inside the transaction when a cooperative's status moved (keyword arguments: cooperative,
# previous): apps that artisans must not import, such as marketplace's reputation, follow it.
cooperative_status_changed = Signal()


@transaction.atomic(durable=True)
def verify_cooperative(cooperative: Cooperative, *, by: "User") -> Cooperative:
    """Mark the cooperative verified, record who and when, and tell its owners."""
    previous = _change_status(cooperative, CooperativeStatus.VERIFIED, by=by, reason="")
    if previous:
        mail_owners_on_commit(cooperative.pk, partial(_verified_mail, cooperative))
    return cooperative


@transaction.atomic(durable=True)
def suspend_cooperative(cooperative: Cooperative, *, by: "User", reason: str) -> Cooperative:
    """Suspend the cooperative (its page and products vanish), record why, tell its owners."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            gettext("Give the reason for the suspension: the owners will read it."),
            code="reason_required",
        )
    previous = _change_status(cooperative, CooperativeStatus.SUSPENDED, by=by, reason=reason)
    if previous:
        mail_owners_on_commit(
            cooperative.pk, partial(_suspended_mail, cooperative, previous=previous)
        )
    return cooperative


def _change_status(cooperative: Cooperative, status: str, *, by: "User", reason: str) -> str | None:
    """Move the row to status unless it is there already; refresh the instance.

    Return the status it moved from (the mail differs: a registration refused is not a
    suspension), or None when it was there already.
    """
    now = timezone.now()
    # Locked on PostgreSQL so that the status read is the one the update replaces; SQLite's
    # IMMEDIATE transactions already run one writer at a time.
    previous = (
        Cooperative.objects.select_for_update()
        .filter(pk=cooperative.pk)
        .values_list("status", flat=True)
        .get()
    )
    # A conditional update: of two moderators deciding at once, one changes the row and
    # the other finds it already there (a no-op), on SQLite as on PostgreSQL.
    changed = (
        Cooperative.objects.filter(pk=cooperative.pk)
        .exclude(status=status)
        .update(
            status=status,
            status_changed_at=now,
            status_changed_by=by,
            status_reason=reason,
            updated_at=now,
        )
    )
    cooperative.refresh_from_db()
    if changed:  # update() sends no signal; the cached pages must drop or show it now
        forget_listings_on_commit()
        cooperative_status_changed.send(Cooperative, cooperative=cooperative, previous=previous)
    return previous if changed else None


def _verified_mail(cooperative: Cooperative) -> tuple[str, str]:
    params = {
        "name": cooperative.name,
        "date": date_format(timezone.localtime(cooperative.status_changed_at), "DATE_FORMAT"),
        "url": site_url(cooperative.get_absolute_url()),
    }
    subject = gettext("%(name)s is verified on Souk") % params
    body = (
        gettext(
            "Hello,\n\n"
            "Souk verified %(name)s on %(date)s. Your cooperative's page is now open to "
            "buyers, with each of your products once a moderator has approved it:\n"
            "%(url)s\n\n"
            "The Souk team"
        )
        % params
    )
    return subject, body


def _suspended_mail(cooperative: Cooperative, *, previous: str) -> tuple[str, str]:
    params = {
        "name": cooperative.name,
        "date": date_format(timezone.localtime(cooperative.status_changed_at), "DATE_FORMAT"),
        "reason": cooperative.status_reason,
    }
    if previous == CooperativeStatus.PENDING:
        return _refused_mail(params)
    subject = gettext("%(name)s is suspended on Souk") % params
    body = (
        gettext(
            "Hello,\n\n"
            "Souk suspended %(name)s on %(date)s. Until the suspension is lifted, buyers "
            "no longer see your cooperative's page or its products.\n\n"
            "The reason:\n%(reason)s\n\n"
            "Reply to this mail to tell us what has changed.\n\n"
            "The Souk team"
        )
        % params
    )
    return subject, body


def _refused_mail(params: dict) -> tuple[str, str]:
    """A registration Souk did not accept: never verified, so nothing was "suspended"."""
    subject = gettext("%(name)s's registration on Souk was not accepted") % params
    body = (
        gettext(
            "Hello,\n\n"
            "Souk checked the registration of %(name)s and could not accept it on %(date)s: "
            "buyers do not see your cooperative, and its products cannot be submitted.\n\n"
            "The reason:\n%(reason)s\n\n"
            "What to do: reply to this mail with the missing or corrected information; "
            "Souk will check your registration again. You can still open your workspace "
            "and read what you prepared.\n\n"
            "The Souk team"
        )
        % params
    )
    return subject, body
