"""Catalog search and filters: one entry point over the database's full-text index.

A product is searchable through `Product.search_document`: its title on the first line, then
its description, materials, craft and branch names in every language, cooperative name and
city, and the cooperative's region names in every language, all passed through `normalize()`.
Queries go through the same `normalize()`, so "زربية" finds "زَرْبِيَّة" and "tapis berbere"
finds "Tapis berbère". The database indexes the document (catalog/search_index.py);
docs/search.md explains how, on SQLite and PostgreSQL.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, TextChoices, Value
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from artisans.browsing import forget_listings_on_commit
from artisans.digits import ascii_digits
from artisans.labels import holding_label
from artisans.models import Cooperative, Label, Region
from catalog.models import Craft, CraftBranch, Product, ProductQuerySet
from catalog.search_index import TextMatch, TextRank

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10
MAX_WORD_CHARS = 40
MAX_PRICE = Decimal("9999999999.99")  # what Product.price (12 digits, 2 places) can hold
REFRESH_BATCH = 2000


# ---------------------------------------------------------------------------
# Normalisation: the same for documents and queries
# ---------------------------------------------------------------------------
def _marks_pattern() -> re.Pattern:
    # Every combining mark of the Basic Multilingual Plane (Latin accents once NFKD has split
    # them off, Arabic tashkeel U+064B-U+0652, superscript alef U+0670, the hamza and madda
    # NFKD splits off alefs), plus tatweel; as ranges, so one regex pass removes them.
    codes = [c for c in range(0x10000) if unicodedata.category(chr(c)) == "Mn"] + [0x0640]
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]+")


_MARKS = _marks_pattern()
_LETTERS = (("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ی", "ي"), ("ک", "ك"), ("œ", "oe"), ("æ", "ae"))
_INDIC_DIGITS = re.compile("[٠-٩۰-۹]")
# The Arabic article is written joined to its word: "الزرابي" is "زرابي" for search.
_ARTICLE = re.compile(r"\b(?:وال|بال|كال|فال|لل|ال)(?=[^\W_]{2})")
_WORD = re.compile(r"[^\W_]+")


def normalize(text: str) -> str:
    """Fold text to space-separated search words: no case, accents, tashkeel or letter variants."""
    # NFKD splits accents and hamzas from their letters (é → e + ́, أ → ا + ٔ) and
    # unpacks Arabic presentation forms and ligatures; _MARKS then drops the marks.
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", text).casefold())
    if not folded.isascii():  # the Arabic folds; most French and English text skips them
        for variant, letter in _LETTERS:
            folded = folded.replace(variant, letter)
        if _INDIC_DIGITS.search(folded):
            folded = ascii_digits(folded)
        folded = _ARTICLE.sub("", folded)
    return " ".join(_WORD.findall(folded))


# Dropped from queries (not documents) so "tapis en laine" needs only "tapis" and "laine".
_STOPWORDS = frozenset(
    normalize(
        "a an and the of or for with in on to by "
        "à au aux d de des du en et l la le les ou pour sur un une avec "
        "في من و على مع أو عن إلى"
    ).split()
)


def search_words(query: str) -> list[str]:
    """Turn what the buyer typed into at most ten normalised words; [] means no text filter."""
    words = [w[:MAX_WORD_CHARS] for w in normalize(query[:MAX_QUERY_CHARS]).split()]
    meaningful = [w for w in words if w not in _STOPWORDS] or words
    return list(dict.fromkeys(meaningful))[:MAX_QUERY_WORDS]


# ---------------------------------------------------------------------------
# Search documents
# ---------------------------------------------------------------------------
def _language_fields(prefix: str) -> list[str]:
    return [f"{prefix}_{code}" for code, _name in settings.LANGUAGES]


def _compose(title: str, rest: list[str]) -> str:
    # The title alone on the first line: the index weighs it above the rest.
    return f"{normalize(title)}\n{normalize(' '.join(part for part in rest if part))}"


def search_document_for(
    *, title: str, description: str, materials: str, craft: Craft, cooperative: Cooperative
) -> str:
    """Return the search document of a product not yet saved (for bulk_create)."""
    craft_names = [getattr(craft, name) or "" for name in _language_fields("name")]
    branch_names = [getattr(craft.branch, name) or "" for name in _language_fields("name")]
    # A buyer looking for a region's crafts types its name: "Souss" finds Souss-Massa's.
    region_names = [getattr(cooperative.region, name) or "" for name in _language_fields("name")]
    return _compose(
        title,
        [
            description,
            materials,
            *craft_names,
            *branch_names,
            cooperative.name,
            cooperative.city,
            *region_names,
        ],
    )


def build_search_document(product: Product) -> str:
    """Return the search document of a product from its current fields."""
    return search_document_for(
        title=product.title,
        description=product.description,
        materials=product.materials,
        craft=product.craft,
        cooperative=product.cooperative,
    )


def _documents(products: ProductQuerySet) -> Iterator[tuple[int, str, str]]:
    fields = [
        "description",
        "materials",
        *_language_fields("craft__name"),
        *_language_fields("craft__branch__name"),
        "cooperative__name",
        "cooperative__city",
        *_language_fields("cooperative__region__name"),
    ]
    rows = products.order_by("pk").values_list("pk", "search_document", "title", *fields)
    for pk, current, title, *rest in rows.iterator(chunk_size=REFRESH_BATCH):
        yield pk, current, _compose(title, [part or "" for part in rest])


def refresh_search_documents(products: ProductQuerySet) -> int:
    """Rebuild the search text of these products; return how many changed."""
    changed = [
        (document, pk) for pk, current, document in _documents(products) if document != current
    ]
    table = connection.ops.quote_name(Product._meta.db_table)
    # One prepared UPDATE run for each changed row: several times faster than bulk_update's
    # CASE WHEN on SQLite (at most 333 rows per statement there); the index triggers follow.
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(changed), REFRESH_BATCH):
            cursor.executemany(
                f"UPDATE {table} SET search_document = %s WHERE id = %s",  # noqa: S608
                changed[start : start + REFRESH_BATCH],
            )
    if changed:  # cached search results and cards are stale
        forget_listings_on_commit()
    return len(changed)


# A cooperative's fields that go into its products' search text.
COOPERATIVE_SEARCHED_FIELDS = frozenset({"name", "city", "region"})


def refresh_cooperative_documents(sender, instance, created, update_fields=None, **kwargs) -> None:
    """post_save of Cooperative: its products are found by its name, city and region, so a
    change of those (in the admin or the workspace) rebuilds their search text on commit."""
    if created or (
        update_fields is not None and not COOPERATIVE_SEARCHED_FIELDS & set(update_fields)
    ):
        return
    transaction.on_commit(
        partial(refresh_search_documents, Product.objects.filter(cooperative_id=instance.pk))
    )


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------
class SortOrder(TextChoices):
    RELEVANCE = "relevance", _("relevance")
    NEWEST = "newest", _("newest")
    PRICE_UP = "price", _("price, lowest first")
    PRICE_DOWN = "-price", _("price, highest first")


@dataclass(frozen=True)
class CatalogFilters:
    """What the buyer asked for, cleaned: invalid values are dropped and named in `ignored`."""

    q: str = ""
    branch: str = ""
    craft: str = ""
    region: str = ""
    label: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    made_to_order: bool = False
    sort: str = SortOrder.NEWEST
    ignored: tuple[str, ...] = field(default=())

    @property
    def words(self) -> list[str]:
        """The normalised words searched for; empty when there is no text filter."""
        return search_words(self.q)

    @property
    def cache_key(self) -> str:
        """A short key naming these results, equal for queries that search the same thing."""
        parts = (
            self.words,
            self.branch,
            self.craft,
            self.region,
            self.label,
            self.price_min,
            self.price_max,
            self.in_stock,
            self.made_to_order,
            self.sort,
        )
        return "catalog-search:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


_TRUE = {"1", "on", "true", "yes"}
_FALSE = {"", "0", "off", "false", "no"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _parse_price(value: str) -> Decimal | None:
    try:
        price = Decimal(value.strip()[:20])
    except InvalidOperation:
        return None
    if not price.is_finite() or not 0 <= price <= MAX_PRICE:
        return None
    return price.quantize(Decimal("0.01"))


def _known_slugs(*, branch: str, craft: str, region: str, label: str = "") -> set[tuple[str, str]]:
    """Which of the given slugs exist, in one query (none when no slug was given)."""
    lookups = [
        (CraftBranch, "branch", "slug", branch),
        (Craft, "craft", "slug", craft),
        (Region, "region", "code", region),
        (Label, "label", "slug", label),
    ]
    queries = [
        model.objects.filter(**{column: wanted})
        .order_by()
        .annotate(filter_name=Value(name), value=F(column))
        .values_list("filter_name", "value")
        for model, name, column, wanted in lookups
        if wanted
    ]
    if not queries:
        return set()
    return set(queries[0].union(*queries[1:], all=True))


def parse_catalog_filters(params: QueryDict) -> CatalogFilters:
    """Read the catalog's query string; never raises, whatever the buyer typed."""
    ignored: list[str] = []

    def text(name: str, limit: int) -> str:
        return _CONTROL.sub("", params.get(name, ""))[:limit].strip()

    def flag(name: str) -> bool:
        value = text(name, 10).lower()
        if value not in _TRUE | _FALSE:
            ignored.append(name)
        return value in _TRUE

    def price(name: str) -> Decimal | None:
        value = text(name, 40)
        parsed = _parse_price(value) if value else None
        if value and parsed is None:
            ignored.append(name)
        return parsed

    q = re.sub(r"\s+", " ", text("q", MAX_QUERY_CHARS))
    slugs = {
        "branch": text("branch", 100),
        "craft": text("craft", 100),
        "region": text("region", 100),
        "label": text("label", 100),
    }
    known = _known_slugs(**slugs)
    for name, slug in slugs.items():
        if slug and (name, slug) not in known:
            ignored.append(name)
            slugs[name] = ""
    price_min, price_max = price("price_min"), price("price_max")
    if price_min is not None and price_max is not None and price_min > price_max:
        # The buyer swapped the bounds: the range they meant is clear.
        price_min, price_max = price_max, price_min
    in_stock, made_to_order = flag("in_stock"), flag("made_to_order")
    default_sort = SortOrder.RELEVANCE if search_words(q) else SortOrder.NEWEST
    sort = text("sort", 20) or default_sort
    if sort not in SortOrder.values:
        ignored.append("sort")
        sort = default_sort
    elif sort == SortOrder.RELEVANCE and not search_words(q):
        sort = SortOrder.NEWEST  # nothing to be relevant to
    return CatalogFilters(
        q=q,
        **slugs,
        price_min=price_min,
        price_max=price_max,
        in_stock=in_stock,
        made_to_order=made_to_order,
        sort=sort,
        ignored=tuple(ignored),
    )


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------
def search_catalog(filters: CatalogFilters) -> ProductQuerySet:
    """Published products matching the filters, ranked by relevance when there is a query."""
    products = Product.objects.published()
    if filters.branch:
        products = products.filter(craft__branch__slug=filters.branch)
    if filters.craft:
        products = products.filter(craft__slug=filters.craft)
    if filters.region:
        products = products.filter(cooperative__region__code=filters.region)
    if filters.label:
        # Held today by the product or by its cooperative: an expired label finds nothing.
        products = products.filter(holding_label(filters.label))
    if filters.price_min is not None:
        products = products.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        products = products.filter(price__lte=filters.price_max)
    # Within the availability facet the boxes widen the choice: both ticked shows both.
    availability = Q()
    if filters.in_stock:
        availability |= Q(stock__gt=0, made_to_order=False)
    if filters.made_to_order:
        availability |= Q(made_to_order=True)
    products = products.filter(availability)
    words = filters.words
    if words:
        products = products.filter(TextMatch(words))
    if filters.sort == SortOrder.PRICE_UP:
        return products.order_by("price", "-pk")
    if filters.sort == SortOrder.PRICE_DOWN:
        return products.order_by("-price", "-pk")
    if filters.sort == SortOrder.RELEVANCE and words:
        return products.annotate(search_rank=TextRank(words)).order_by("-search_rank", "-pk")
    return products.order_by("-created_at", "-pk")
