"""Mails to a review's author: the cooperative replied, or a moderator refused the review."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from artisans.owner_mail import mail_language, site_url
from catalog.models import Review

logger = logging.getLogger(__name__)

REPLIED = (
    gettext_lazy("%(cooperative)s replied to your review"),
    "catalog/email/review_replied.txt",
)
REJECTED = (
    gettext_lazy("Your review of “%(title)s” was not published"),
    "catalog/email/review_rejected.txt",
)


def mail_author(review_id: int, mail: tuple[Promise, str]) -> int:
    """Send the review's author the mail, in the language they use Souk in; return 0 or 1."""
    review = Review.objects.select_related("author", "product", "cooperative").get(pk=review_id)
    author = review.author
    if author is None or not author.is_active or not author.email:
        logger.info("Review %s has no author to tell", review_id)
        return 0
    subject, template = mail
    with translation.override(mail_language(author.language or review.language)):
        names = {"cooperative": review.cooperative.name, "title": review.product.title}
        url = site_url(f"{review.product.get_absolute_url()}#review-{review.pk}")
        body = render_to_string(template, {"review": review, "url": url})
        return EmailMessage(str(subject) % names, body, to=[author.email]).send()


def mail_author_on_commit(review: Review, mail: tuple[Promise, str]) -> None:
    """Mail the author once the current transaction commits; a failure is logged, not raised."""

    def send() -> None:  # named: Django's robust on_commit logs its __qualname__
        mail_author(review.pk, mail)

    transaction.on_commit(send, robust=True)
