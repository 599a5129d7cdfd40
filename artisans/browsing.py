"""What the buyer pages read about cooperatives: cached region choices, featured cooperatives.

Also what every buyer page uses, catalog included (imports point catalog → artisans): the
listings version that cached pages are keyed with, the whole-page cache for visitors and the
paginator with a cached count.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language

from artisans.labels import current_cooperative_labels, labels_held
from artisans.models import Cooperative, CooperativeQuerySet, Region

REGION_CHOICES_KEY = "souk:artisans:region-choices:{language}"
LABEL_CHOICES_KEY = "souk:artisans:label-choices:{version}:{language}"
LISTINGS_VERSION_KEY = "souk:listings-version"
MESSAGES_COOKIE = CookieStorage.cookie_name
# What {% visitor_csrf_token %} writes, replaced by each visitor's token as the page leaves.
CSRF_PLACEHOLDER = "souk-csrf-token-placeholder"


def listings_version() -> int:
    """Return the version that the cached buyer pages, counts and fragments are keyed with."""
    version = cache.get(LISTINGS_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(LISTINGS_VERSION_KEY, version, None)
    return version


def cached_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a buyer page whole from the cache to visitors without a session.

    Such visitors all see the same page for the same address (the language is in the path),
    so the rendered page is kept per address and listings version. A signed-in buyer, or one
    with a message waiting, gets a page rendered for them. A CSRF token belongs to one
    visitor: a page that renders one is never kept, and a page's forms use
    {% visitor_csrf_token %} instead, which puts each visitor's own token into the page as it
    leaves.
    """

    @wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        personal = (settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE)
        if request.method != "GET" or any(name in request.COOKIES for name in personal):
            response = view(request, *args, **kwargs)
        else:
            digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"souk:page:{listings_version()}:{digest}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == HTTPStatus.OK and not (
                    response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                ):
                    cache.set(key, response, settings.SOUK_CATALOG_CACHE_SECONDS)
            patch_vary_headers(response, ["Cookie"])  # a signed-in buyer sees another page
        fill_csrf_token(request, response)
        return response

    return serve


def fill_csrf_token(request: HttpRequest, response: HttpResponse) -> None:
    """Put the visitor's own CSRF token where the page has the placeholder."""
    if CSRF_PLACEHOLDER.encode() in response.content:
        token = get_token(request)  # also sets the visitor's CSRF cookie
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), token.encode())


def forget_listings() -> None:
    """Make every cached count and page fragment stale (call on commit after a catalog change).

    The cache keeps them SOUK_CATALOG_CACHE_SECONDS at most anyway; this makes a change show at
    once. With the in-process cache it only reaches the process that calls it: several workers
    need a shared cache (REDIS_URL).
    """
    try:
        cache.incr(LISTINGS_VERSION_KEY)
    except ValueError:  # not in the cache: any new version will do
        cache.set(LISTINGS_VERSION_KEY, listings_version() + 1, None)


def forget_listings_on_commit(**signal_kwargs) -> None:
    """forget_listings() once the current transaction commits; also a model signal receiver."""
    transaction.on_commit(forget_listings)


def region_choices() -> tuple[tuple[str, str], ...]:
    """Return (code, name) of every region in the active language, from the cache when warm."""
    key = REGION_CHOICES_KEY.format(language=get_language())
    choices = cache.get(key)
    if choices is None:
        # modeltranslation gives `name` in the active language, so the key carries it.
        choices = tuple((region.code, region.name) for region in Region.objects.all())
        cache.set(key, choices, settings.SOUK_CATALOG_CACHE_SECONDS)
    return choices


def forget_region_choices() -> None:
    """Drop the cached region choices of every language (after an admin edits a region)."""
    cache.delete_many(
        [REGION_CHOICES_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    )


def label_choices() -> tuple[tuple[str, str], ...]:
    """Return (slug, name) of the labels held today, by name in the active language; cached.

    Keyed by the listings version too: a saved label or certificate renews it.
    """
    key = LABEL_CHOICES_KEY.format(version=listings_version(), language=get_language())
    choices = cache.get(key)
    if choices is None:
        names = ((label.slug, label.name) for label in labels_held())
        choices = tuple(sorted(names, key=lambda choice: choice[1].casefold()))
        cache.set(key, choices, settings.SOUK_CATALOG_CACHE_SECONDS)
    return choices


def listed_cooperatives(*, region: str = "") -> CooperativeQuerySet:
    """Verified cooperatives as the public directory lists them, optionally in one region."""
    cooperatives = Cooperative.objects.verified().select_related("region").order_by("name", "pk")
    if region:
        cooperatives = cooperatives.filter(region__code=region)
    return cooperatives


def visible_cooperatives() -> CooperativeQuerySet:
    """Verified cooperatives with only what their page needs outside its cached fragment."""
    return Cooperative.objects.verified().only("pk", "slug", "name", "story")


def cooperative_page(pk: int) -> Cooperative:
    """Return the cooperative with what its page shows: region, photos, reputation, labels."""
    # "reputation": marketplace's CooperativeReputation (the trusted badge), joined by name.
    return (
        Cooperative.objects.select_related("region", "reputation")
        .prefetch_related("photos", current_cooperative_labels())
        .get(pk=pk)
    )


def featured_cooperatives(*, limit: int = 4) -> list[Cooperative]:
    """Return a few verified cooperatives for the home page, the most recently joined first."""
    return list(
        Cooperative.objects.verified()
        .select_related("region")
        .order_by("-created_at", "-pk")[:limit]
    )


class CachedCountPaginator(Paginator):
    """A Paginator that keeps its COUNT in the cache for SOUK_CATALOG_CACHE_SECONDS.

    Counting 100,000 published products takes SQLite ~300 ms, far more than the rest of the
    page; a count a few minutes old only moves the total shown and the last page number.
    `count_key` names what is counted (cheaper than compiling the SQL to name it).
    """

    def __init__(self, object_list: QuerySet, per_page: int, *, count_key: str) -> None:
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        digest = hashlib.sha256(self.count_key.encode()).hexdigest()
        key = f"souk:count:{listings_version()}:{digest}"
        count = cache.get(key)
        if count is None:
            count = self.object_list.count()
            cache.set(key, count, settings.SOUK_CATALOG_CACHE_SECONDS)
        return count
