"""Mail a cooperative's owners, each in the language they use Souk in."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation

from artisans.models import Membership, MembershipRole

logger = logging.getLogger(__name__)

# Writes (subject, body) in the active language; called once per owner.
Compose = Callable[[], tuple[str, str]]


def mail_owners(cooperative_id: int, compose: Compose) -> int:
    """Send each active owner of the cooperative the mail compose() writes; return how many."""
    owners = (
        Membership.objects.filter(
            cooperative_id=cooperative_id, role=MembershipRole.OWNER, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    )
    messages = []
    for membership in owners:
        user = membership.user
        with translation.override(mail_language(user.language)):
            subject, body = compose()
        messages.append(EmailMessage(subject, body, to=[user.email]))
    if not messages:
        logger.info("Cooperative %s has no owner to tell", cooperative_id)
        return 0
    return get_connection().send_messages(messages) or 0


def mail_owners_on_commit(cooperative_id: int, compose: Compose) -> None:
    """Mail the owners once the current transaction commits; a failure is logged, not raised."""

    def send() -> None:  # a named function: Django's robust on_commit logs its __qualname__
        mail_owners(cooperative_id, compose)

    # robust: a mail server down must not turn a committed decision into a 500.
    transaction.on_commit(send, robust=True)


def mail_language(language: str) -> str:
    """The language a mail is written in: the person's, when Souk speaks it."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def site_url(path: str) -> str:
    """Absolute link to a page of the site, for mails."""
    return f"{settings.SOUK_SITE_URL}{path}"
