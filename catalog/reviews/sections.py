"""The reviews section of the product and cooperative pages: the sort and page a reader asks
for, and the version that keys the section's cached fragment.

A page caches its own part (the product, the cooperative) apart from its reviews section, so
that what changes often, the helpful counts, renews only the section of the product and the
cooperative it is about. The section's key holds the listings version too: a new, edited or
moderated review and a reply renew it with every page that shows figures (forget_listings).

A vote does not touch the listings version, so a visitor's whole page
(artisans.browsing.cached_for_visitors) shows a new helpful count only once it expires,
SOUK_CATALOG_CACHE_SECONDS at most; the voter, signed in, sees it at once.
"""

from dataclasses import dataclass
from functools import partial
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict

from artisans.models import Cooperative
from catalog.models import Product, Review, ReviewSort

REVIEWS_VERSION_KEY = "souk:reviews-version:{owner}:{pk}"
# Longer is a page past the end anyway: the number is cut there, not read whole.
MAX_PAGE_DIGITS = 7


@dataclass(frozen=True)
class ReviewsChoice:
    """Which reviews a page shows: the sort and the page number, both part of the cache key."""

    sort: str  # a ReviewSort value
    number: int  # 1 unless a number was asked; reviews_page() shows the last past the end


def reviews_choice(query: QueryDict) -> ReviewsChoice:
    """Read ?reviews_sort= and ?reviews_page= as the catalog reads its own pages.

    An unknown sort is the newest first; a page that is not a number is the first, one below
    1 or past the end the last (Paginator.get_page, which reviews_page() uses).
    """
    sort = query.get("reviews_sort", "")
    try:
        number = int(query.get("reviews_page", "")[:MAX_PAGE_DIGITS])
    except ValueError:
        number = 1
    return ReviewsChoice(
        sort=sort if sort in ReviewSort.values else ReviewSort.NEWEST, number=number
    )


def reviews_version(owner: Product | Cooperative) -> str:
    """The version of the reviews section of a product's or a cooperative's page."""
    key = _version_key(type(owner), owner.pk)
    version = cache.get(key)
    if version is None:
        version = _new_version()
        # Another request may have added one meanwhile: theirs stands, and the fragment this
        # page caches under its own version is never read again.
        cache.add(key, version, None)
    return version


def forget_review_sections(product_id: int, cooperative_id: int) -> None:
    """Renew the reviews section of one product's page and of its cooperative's page."""
    cache.set_many(
        {
            _version_key(Product, product_id): _new_version(),
            _version_key(Cooperative, cooperative_id): _new_version(),
        },
        None,
    )


def forget_review_sections_on_commit(review: Review) -> None:
    """forget_review_sections() for the review's product and cooperative, once committed."""
    transaction.on_commit(partial(forget_review_sections, review.product_id, review.cooperative_id))


def _version_key(owner: type[Product | Cooperative], pk: int) -> str:
    return REVIEWS_VERSION_KEY.format(owner=owner._meta.label_lower, pk=pk)


def _new_version() -> str:
    # Not a counter: a version key the cache dropped comes back new, never as one already
    # used by a fragment still cached.
    return uuid4().hex[:12]
