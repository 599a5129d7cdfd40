"""The review's author hears of the cooperative's reply and of a moderator's refusal."""

import pytest
from django.core import mail

from catalog.reviews import reject_review, reply_to_review, submit_review
from tests.catalog.review_helpers import delivered_line
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def written_review(*, language="en"):
    buyer = UserFactory(first_name="Claire", last_name="Martin", language=language)
    line = delivered_line(buyer=buyer)
    return submit_review(line, author=buyer, rating=5, text="Beautiful carpet, well packed.")


def test_the_author_gets_the_reply_in_their_language_with_a_link_to_it():
    review = written_review(language="fr")
    member = MembershipFactory(cooperative=review.cooperative).user
    mail.outbox.clear()

    reply_to_review(review, cooperative=review.cooperative, by=member, text="Merci beaucoup !")

    [sent] = mail.outbox
    assert sent.to == [review.author.email]
    assert sent.subject == f"{review.cooperative.name} a répondu à votre avis"
    assert "Merci beaucoup !" in sent.body
    assert f"/fr/products/{review.product.slug}/#review-{review.pk}" in sent.body


def test_a_refused_reply_sends_nothing():
    review = written_review()
    member = MembershipFactory(cooperative=review.cooperative).user
    reply_to_review(review, cooperative=review.cooperative, by=member, text="Thank you!")
    mail.outbox.clear()

    with pytest.raises(Exception, match="already replied"):
        reply_to_review(review, cooperative=review.cooperative, by=member, text="Again")

    assert mail.outbox == []


def test_the_author_of_a_rejected_review_gets_the_reason():
    review = written_review()
    mail.outbox.clear()

    reject_review(review, by=UserFactory(is_staff=True), reason="A phone number in the text.")

    [sent] = mail.outbox
    assert sent.to == [review.author.email]
    assert sent.subject == f"Your review of “{review.product.title}” was not published"
    assert "A phone number in the text." in sent.body


def test_an_author_whose_account_is_gone_gets_nothing():
    review = written_review()
    review.author.delete()
    review.refresh_from_db()
    mail.outbox.clear()

    reject_review(review, by=UserFactory(is_staff=True), reason="Off topic.")

    assert mail.outbox == []
