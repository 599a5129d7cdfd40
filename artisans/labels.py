"""Labels and certifications: which are current, the badges pages show, the label filter.

A label shows while it is current: on or before its `valid_until` in the site's time zone
(and, for a cooperative's certificate, from its `valid_from`). No job runs at midnight: every
read filters by date. Buyer pages are cached, though: a page cached whole for visitors can hold
a fragment rendered up to SOUK_CATALOG_CACHE_SECONDS earlier, so an expired label may show for
at most twice that after midnight (10 minutes with the default 300 s).

Pages read labels through a Prefetch into `current_labels` (one query for a whole page) and
turn them into badges with `label_badges()`, which never queries.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from artisans.models import (
    Cooperative,
    CooperativeLabel,
    Label,
    LabelKind,
    ProductLabel,
    site_today,
)

# Where the Prefetch helpers put the current holdings of a product or a cooperative.
CURRENT_LABELS = "current_labels"


def current_product_labels(lookup: str = "labels") -> Prefetch:
    """Prefetch products' current labels, with the scheme, into `product.current_labels`."""
    holdings = ProductLabel.objects.current().select_related("label")
    return Prefetch(lookup, queryset=holdings, to_attr=CURRENT_LABELS)


def current_cooperative_labels(lookup: str = "labels") -> Prefetch:
    """Prefetch cooperatives' current labels into `cooperative.current_labels`.

    From products, pass "cooperative__labels" (with the cooperative select_related).
    """
    holdings = CooperativeLabel.objects.current().select_related("label")
    return Prefetch(lookup, queryset=holdings, to_attr=CURRENT_LABELS)


def badge_prefetches(*, cooperatives: bool = True) -> tuple[Prefetch, ...]:
    """Prefetch what products' badges need, one query each for any number of products: their
    current labels and their cooperatives' (the cooperative select_related).

    `cooperatives=False` where the page shows the cooperative's own badges elsewhere.
    """
    if not cooperatives:
        return (current_product_labels(),)
    return current_product_labels(), current_cooperative_labels("cooperative__labels")


def holding_label(slug: str, *, today: date | None = None) -> Q:
    """Products that hold the label, or whose cooperative does, today: a filter for Product."""
    today = today or site_today()
    held = ProductLabel.objects.current(today).filter(product=OuterRef("pk"), label__slug=slug)
    held_by_cooperative = CooperativeLabel.objects.current(today).filter(
        cooperative=OuterRef("cooperative_id"), label__slug=slug
    )
    return Q(Exists(held)) | Q(Exists(held_by_cooperative))


@dataclass(frozen=True)
class Badge:
    """A label as a page shows it; the name, issuer and description in the active language."""

    slug: str
    name: str
    kind: str
    issuer: str
    level: str
    certificate_number: str
    valid_until: date | None
    held_by_cooperative: bool

    @property
    def icon(self) -> str:
        """The badge's icon under static/, one per kind of label."""
        return f"img/labels/{self.kind}.svg"

    @property
    def kind_name(self) -> str:
        return LabelKind(self.kind).label


def badge_for(holding: CooperativeLabel | ProductLabel) -> Badge:
    """Describe one held label (its scheme loaded with it) as a badge."""
    label = holding.label
    return Badge(
        slug=label.slug,
        name=label.name,
        kind=label.kind,
        issuer=label.issuer,
        level=holding.level,
        certificate_number=holding.certificate_number,
        valid_until=holding.valid_until,
        held_by_cooperative=isinstance(holding, CooperativeLabel),
    )


def label_badges(holder: Model) -> list[Badge]:
    """Badges of a cooperative, or of a product followed by those of its cooperative.

    Reads only what a Prefetch put in `current_labels`: a holder without it has no badges,
    so a page that did not prefetch shows none rather than running a query per product.
    """
    holdings = list(getattr(holder, CURRENT_LABELS, ()))
    if not isinstance(holder, Cooperative) and type(holder).cooperative.is_cached(holder):
        holdings += getattr(holder.cooperative, CURRENT_LABELS, ())
    badges: dict[str, Badge] = {}
    for holding in holdings:
        # The product's own certificate first: a label its cooperative holds too shows once.
        badges.setdefault(holding.label.slug, badge_for(holding))
    return list(badges.values())


def labels_held(*, today: date | None = None) -> QuerySet[Label]:
    """Labels that some cooperative or product holds today: what the catalog filter offers."""
    today = today or site_today()
    return Label.objects.filter(
        Exists(CooperativeLabel.objects.current(today).filter(label=OuterRef("pk")))
        | Exists(ProductLabel.objects.current(today).filter(label=OuterRef("pk")))
    )
