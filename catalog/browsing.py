"""What the buyer pages read: cached filter choices, featured and related products."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import get_language

from artisans.browsing import label_choices, listings_version, region_choices
from artisans.labels import badge_prefetches
from catalog.models import Craft, CraftBranch, Product, ProductQuerySet
from catalog.search import CatalogFilters, SortOrder

CRAFT_CHOICES_KEY = "souk:catalog:craft-choices:{language}"
FEATURED_KEY = "souk:catalog:featured:{version}:{limit}"
# The search text of every language: large, and no page shows it.
UNSHOWN_FIELDS = ("search_document",)


@dataclass(frozen=True)
class BranchChoice:
    slug: str
    name: str
    crafts: tuple[tuple[str, str], ...]  # (slug, name) of the branch's crafts, by name


@dataclass(frozen=True)
class FilterChoices:
    """The values the catalog's filter sidebar offers, names in the active language."""

    branches: tuple[BranchChoice, ...]
    regions: tuple[tuple[str, str], ...]  # (code, name)
    labels: tuple[tuple[str, str], ...] = ()  # (slug, name) of the labels held today


def branch_choices() -> tuple[BranchChoice, ...]:
    """Return the craft branches with their crafts, from the cache when warm (0 queries)."""
    key = CRAFT_CHOICES_KEY.format(language=get_language())
    branches = cache.get(key)
    if branches is None:
        crafts_by_branch: dict[int, list[tuple[str, str]]] = {}
        for craft in Craft.objects.only("slug", "name", "branch_id"):
            crafts_by_branch.setdefault(craft.branch_id, []).append((craft.slug, craft.name))
        branches = tuple(
            BranchChoice(
                slug=branch.slug,
                name=branch.name,
                crafts=tuple(sorted(crafts_by_branch.get(branch.pk, []), key=lambda c: c[1])),
            )
            for branch in CraftBranch.objects.all()
        )
        cache.set(key, branches, settings.SOUK_CATALOG_CACHE_SECONDS)
    return branches


@dataclass(frozen=True)
class Selection:
    """The names of what the buyer filtered on, for headings and removable filter chips."""

    branch: str = ""
    craft: str = ""
    region: str = ""
    label: str = ""
    filtered: bool = False  # any filter besides the search words and the sort order


def filter_choices() -> FilterChoices:
    """Return what the catalog's filter sidebar offers, in the active language."""
    return FilterChoices(
        branches=branch_choices(), regions=region_choices(), labels=label_choices()
    )


def describe_selection(filters: CatalogFilters, choices: FilterChoices) -> Selection:
    """Name the branch, craft, region and label in the filters, in the active language."""
    branches = {branch.slug: branch.name for branch in choices.branches}
    crafts = {slug: name for branch in choices.branches for slug, name in branch.crafts}
    return Selection(
        branch=branches.get(filters.branch, filters.branch),
        craft=crafts.get(filters.craft, filters.craft),
        region=dict(choices.regions).get(filters.region, filters.region),
        label=dict(choices.labels).get(filters.label, filters.label),
        filtered=bool(
            filters.branch
            or filters.craft
            or filters.region
            or filters.label
            or filters.price_min is not None
            or filters.price_max is not None
            or filters.in_stock
            or filters.made_to_order
        ),
    )


def canonical_query(filters: CatalogFilters) -> QueryDict:
    """Return the query string of the cleaned filters: links carry no junk and cache well."""
    query = QueryDict(mutable=True)
    for name in ("q", "branch", "craft", "region", "label"):
        if value := getattr(filters, name):
            query[name] = value
    for name in ("price_min", "price_max"):
        if (price := getattr(filters, name)) is not None:
            query[name] = str(price)
    for name in ("in_stock", "made_to_order"):
        if getattr(filters, name):
            query[name] = "1"
    default_sort = SortOrder.RELEVANCE if filters.words else SortOrder.NEWEST
    if filters.sort != default_sort:
        query["sort"] = filters.sort
    return query


def forget_branch_choices() -> None:
    """Drop the cached branches and crafts of every language (after an admin edits one)."""
    cache.delete_many(
        [CRAFT_CHOICES_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    )


def featured_products(*, limit: int = 8) -> list[Product]:
    """Return the products featured on the home page, or the newest when none is featured."""
    key = FEATURED_KEY.format(version=listings_version(), limit=limit)
    products = cache.get(key)
    if products is None:
        # Cached with their photos; translated names are read in the active language on use.
        published = Product.objects.published().for_card().defer(*UNSHOWN_FIELDS)
        products = list(published.filter(is_featured=True).order_by("-created_at", "-pk")[:limit])
        products = products or list(published.order_by("-created_at", "-pk")[:limit])
        cache.set(key, products, settings.SOUK_CATALOG_CACHE_SECONDS)
    return products


def related_products(product: Product, *, limit: int = 4) -> ProductQuerySet:
    """Return other published products of the same craft or the same cooperative."""
    return (
        Product.objects.published()
        .for_card()
        .defer(*UNSHOWN_FIELDS)
        .filter(Q(craft_id=product.craft_id) | Q(cooperative_id=product.cooperative_id))
        .exclude(pk=product.pk)
        .order_by("-created_at", "-pk")[:limit]
    )


def visible_products() -> ProductQuerySet:
    """Published products with only what a product page needs outside its cached fragment."""
    return Product.objects.published().only("pk", "slug", "title", "description")


@dataclass(frozen=True)
class ProductPage:
    product: Product  # with its cooperative, craft, HS code, photos and current labels
    related: list[Product]


def product_page(pk: int) -> ProductPage:
    """Read what the product page shows: the product in full and related products."""
    product = (
        Product.objects.select_related(
            "cooperative__region", "cooperative__reputation", "craft__branch", "hs_code"
        )
        .prefetch_related("images", *badge_prefetches())
        .defer(*UNSHOWN_FIELDS)
        .get(pk=pk)
    )
    return ProductPage(product=product, related=list(related_products(product)))
