"""What a change to the reviews sets off, once committed: fresh pages, and the listeners told."""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

from artisans.browsing import forget_listings_on_commit
from catalog.models import Review

# Sent once a change to the published reviews (a new one, an edit, a moderator's decision) is
# committed, with cooperative_id: what is computed from them (the cooperative's reputation)
# listens, since catalog cannot call marketplace.
published_reviews_changed = Signal()


def changed_on_commit(review: Review) -> None:
    """After a change to what pages show: fresh pages, and listeners told, once committed."""
    forget_listings_on_commit()
    transaction.on_commit(
        partial(
            published_reviews_changed.send,
            sender=Review,
            cooperative_id=review.cooperative_id,
            product_id=review.product_id,
        )
    )
