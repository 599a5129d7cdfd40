"""Who belongs to a cooperative: invitations by mail, their acceptance, roles, departures.

An owner invites an address with a role; the mail's link carries a random token, and only
the person signed in with that address can accept it, within SOUK_INVITATION_DAYS. A
cooperative always keeps at least one owner: nobody can demote or remove the last one.
"""

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from artisans.models import (
    Cooperative,
    CooperativeStatus,
    Invitation,
    Membership,
    MembershipRole,
)
from artisans.owner_mail import mail_language, site_url

if TYPE_CHECKING:  # marketplace depends on artisans, never the other way round
    from datetime import datetime

    from marketplace.models import User


def invitation_days() -> int:
    """How many days an invitation can be accepted (setting SOUK_INVITATION_DAYS)."""
    return settings.SOUK_INVITATION_DAYS


def invitation_expires_at(invitation: Invitation) -> "datetime":
    return invitation.created_at + timedelta(days=invitation_days())


def new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic(durable=True)
def invite(cooperative: Cooperative, *, email: str, role: str, by: "User") -> Invitation:
    """Invite the address to join with role, renewing its open invitation; mail the link.

    A renewed invitation gets a new token (the old link stops working) and a new date.
    """
    email = email.strip().lower()
    if not cooperative.is_verified:
        # Mails in Souk's name carry the cooperative's name: only a checked one sends them.
        raise ValidationError(
            gettext("You can invite members once Souk has verified your cooperative."),
            code="cooperative_not_verified",
        )
    if role not in MembershipRole.values:
        raise ValidationError(gettext("Choose a role."), code="invalid_role")
    if cooperative.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            gettext("%(email)s is already a member of %(name)s."),
            code="already_member",
            params={"email": email, "name": cooperative.name},
        )
    fields = {"role": role, "invited_by": by, "token": new_token(), "created_at": timezone.now()}
    open_ones = Invitation.objects.filter(
        cooperative=cooperative, email__iexact=email, accepted_at__isnull=True
    )
    if not open_ones.update(**fields):
        try:
            with transaction.atomic():  # a savepoint: the same invitation sent twice at once
                Invitation.objects.create(cooperative=cooperative, email=email, **fields)
        except IntegrityError:
            open_ones.update(**fields)
    invitation = open_ones.select_related("cooperative", "invited_by").get()
    _mail_invitation_on_commit(invitation.pk)
    return invitation


def check_invitation(invitation: Invitation, *, user: "User") -> None:
    """Raise unless the user may accept the invitation now.

    PermissionDenied when the user is signed in with another address; ValidationError with
    code "already_accepted", "cooperative_suspended" or "expired" otherwise.
    """
    if user.email.casefold() != invitation.email.casefold():
        raise PermissionDenied(
            gettext(
                "This invitation was sent to %(invited)s, but you are logged in as "
                "%(current)s. Log out, then log in or sign up with %(invited)s to accept it."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    if invitation.accepted_at is not None:
        raise _already_accepted(invitation)
    if invitation.cooperative.status == CooperativeStatus.SUSPENDED:
        # Suspended since the invitation was sent: nobody joins it until Souk lifts that.
        raise ValidationError(
            gettext(
                "%(name)s is suspended on Souk: nobody can join it for now. This link works "
                "again if Souk lifts the suspension before the invitation expires."
            ),
            code="cooperative_suspended",
            params={"name": invitation.cooperative.name},
        )
    expires_at = invitation_expires_at(invitation)
    if timezone.now() >= expires_at:
        raise ValidationError(
            gettext(
                "This invitation to join %(name)s expired on %(date)s. "
                "Ask one of its owners to invite you again."
            ),
            code="expired",
            params={
                "name": invitation.cooperative.name,
                "date": date_format(timezone.localtime(expires_at), "DATE_FORMAT"),
            },
        )


@transaction.atomic(durable=True)
def accept_invitation(invitation: Invitation, *, user: "User") -> Membership:
    """Make the user a member with the invitation's role (a member already keeps theirs)."""
    # The cooperative as it is now: it may have been suspended since the invitation was read.
    invitation.cooperative.refresh_from_db(fields=["status"])
    check_invitation(invitation, user=user)
    now = timezone.now()
    # A conditional update: of two clicks on "Accept", one marks the invitation, the other
    # finds it accepted already, on SQLite as on PostgreSQL.
    taken = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now
    )
    if not taken:
        raise _already_accepted(invitation)
    invitation.accepted_at = now
    membership, _created = Membership.objects.get_or_create(
        user=user, cooperative=invitation.cooperative, defaults={"role": invitation.role}
    )
    return membership


@transaction.atomic(durable=True)
def change_role(membership: Membership, *, role: str) -> Membership:
    """Give the member another role; the last owner cannot step down."""
    if role not in MembershipRole.values:
        raise ValidationError(gettext("Choose a role."), code="invalid_role")
    if membership.role == role:
        return membership
    if membership.role == MembershipRole.OWNER:
        _keep_another_owner(
            membership,
            gettext(
                "%(email)s is the only owner of %(name)s. Make another member an owner first: "
                "a cooperative always needs one."
            ),
        )
    Membership.objects.filter(pk=membership.pk).update(role=role)
    membership.role = role
    return membership


@transaction.atomic(durable=True)
def remove_member(membership: Membership) -> None:
    """Remove the member from the cooperative; never its last owner."""
    if membership.role == MembershipRole.OWNER:
        _keep_another_owner(
            membership,
            gettext(
                "%(email)s is the only owner of %(name)s and cannot leave it. Make another "
                "member an owner first: a cooperative always needs one."
            ),
        )
    Membership.objects.filter(pk=membership.pk).delete()


@transaction.atomic(durable=True)
def cancel_invitation(invitation: Invitation) -> None:
    """Withdraw an open invitation: its link stops working."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


def open_invitations_for(user: "User") -> list[Invitation]:
    """The invitations still open for the user's address, with their cooperatives."""
    since = timezone.now() - timedelta(days=invitation_days())
    return list(
        Invitation.objects.filter(
            email__iexact=user.email, accepted_at__isnull=True, created_at__gt=since
        )
        .exclude(cooperative__memberships__user=user)
        .select_related("cooperative")
        .order_by("-created_at", "-pk")
    )


def _keep_another_owner(membership: Membership, message: str) -> None:
    """Raise ValidationError(message) unless the cooperative has an owner besides membership."""
    # The owners' rows are locked on PostgreSQL: two owners demoting each other at once
    # take turns, and the second sees the first's change. SQLite's IMMEDIATE transactions
    # already run one writer at a time.
    owners = list(
        Membership.objects.select_for_update()
        .filter(cooperative_id=membership.cooperative_id, role=MembershipRole.OWNER)
        .values_list("pk", flat=True)
    )
    if not set(owners) - {membership.pk}:
        raise ValidationError(
            message,
            code="last_owner",
            params={"email": membership.user.email, "name": membership.cooperative.name},
        )


def _already_accepted(invitation: Invitation) -> ValidationError:
    return ValidationError(
        gettext("This invitation to join %(name)s has already been accepted."),
        code="already_accepted",
        params={"name": invitation.cooperative.name},
    )


def _mail_invitation_on_commit(invitation_id: int) -> None:
    """Mail the invitee the link once the invitation is committed, in the inviter's language."""

    def send_invitation() -> None:  # a named function: Django's robust on_commit logs its name
        invitation = Invitation.objects.select_related("cooperative", "invited_by").get(
            pk=invitation_id
        )
        inviter = invitation.invited_by
        with translation.override(mail_language(inviter.language if inviter else "")):
            subject, body = _invitation_mail(invitation)
        EmailMessage(subject, body, to=[invitation.email]).send()

    # robust: a mail server down must not turn a committed invitation into a 500; the owner
    # can send it again from the members page.
    transaction.on_commit(send_invitation, robust=True)


def _invitation_mail(invitation: Invitation) -> tuple[str, str]:
    params = {
        "name": invitation.cooperative.name,
        "inviter": invitation.invited_by.email if invitation.invited_by else "Souk",
        "role": invitation.get_role_display(),
        "url": site_url(reverse("workspace:accept_invitation", args=[invitation.token])),
        "email": invitation.email,
        "days": invitation_days(),
    }
    subject = gettext("Join %(name)s on Souk") % params
    body = (
        gettext(
            "Hello,\n\n"
            "%(inviter)s invites you to join %(name)s on Souk, the marketplace of Moroccan "
            "artisan cooperatives, as %(role)s.\n\n"
            "To accept, open this link within %(days)s days and log in, or sign up, "
            "with this address (%(email)s):\n%(url)s\n\n"
            "If you did not expect this invitation, ignore this mail.\n\n"
            "The Souk team"
        )
        % params
    )
    return subject, body
