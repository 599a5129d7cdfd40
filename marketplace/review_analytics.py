"""Review analytics for admins: satisfaction rate and review count by craft branch, month, country.

Read only, over published reviews (the others count nowhere). The satisfaction rate is the share
of reviews with 4 or 5 stars, as the ministry measures e-reputation. Each table is one GROUP BY.
Months are the last calendar months in the site's time zone (as payments/statements.py counts
sales); countries are the reviews' own (the order's destination).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_countries import countries

from catalog.models import CraftBranch, Review, ReviewStatus
from marketplace.reputation import share
from payments.statements import month_starts, site_time_zone, spreadsheet_text

MONTHS = 12
SATISFIED = Q(rating__gte=4)


@dataclass(frozen=True)
class ReviewFigures:
    """One row of a table: what it counts (a branch, month or country) and its reviews."""

    key: str  # branch slug, month "2025-02", country code
    label: str  # the branch's or country's name, the month's ("February 2025"), translated
    reviews: int
    satisfied: int  # with 4 or 5 stars
    month: date | None = None  # a month's first day

    @property
    def satisfaction(self):
        """The share of 4 and 5 stars (0.9123), or None without reviews."""
        return share(self.satisfied, self.reviews)

    @property
    def satisfaction_percent(self):
        rate = self.satisfaction
        return None if rate is None else rate * 100


def overall() -> ReviewFigures:
    """Every published review in one row (one query)."""
    totals = Review.objects.published().aggregate(
        reviews=Count("pk"), satisfied=Count("pk", filter=SATISFIED)
    )
    return ReviewFigures(key="", label=gettext("All reviews"), **totals)


def by_branch() -> list[ReviewFigures]:
    """One row per craft branch in the branches' order, those without reviews included."""
    # From the branch side: its name comes in the active language, and every branch shows.
    published = Q(crafts__products__reviews__status=ReviewStatus.PUBLISHED)
    branches = CraftBranch.objects.annotate(
        reviews_count=Count("crafts__products__reviews", filter=published),
        satisfied_count=Count(
            "crafts__products__reviews",
            filter=published & Q(crafts__products__reviews__rating__gte=4),
        ),
    ).order_by("position", "slug")
    return [
        ReviewFigures(
            key=branch.slug,
            label=branch.name,
            reviews=branch.reviews_count,
            satisfied=branch.satisfied_count,
        )
        for branch in branches
    ]


def by_month(*, months: int = MONTHS, now: datetime | None = None) -> list[ReviewFigures]:
    """One row per calendar month, newest first, quiet months as zero."""
    zone = site_time_zone()
    starts = month_starts(timezone.localtime(now or timezone.now(), zone), months)
    oldest = starts[-1]
    rows = (
        Review.objects.published()
        .filter(created_at__gte=datetime(oldest.year, oldest.month, 1, tzinfo=zone))
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(reviews=Count("pk"), satisfied=Count("pk", filter=SATISFIED))
        .order_by("month")
    )
    found = {timezone.localtime(row["month"], zone).date(): row for row in rows}
    return [
        ReviewFigures(
            key=start.strftime("%Y-%m"),
            label=date_format(start, "YEAR_MONTH_FORMAT"),
            reviews=found.get(start, {}).get("reviews", 0),
            satisfied=found.get(start, {}).get("satisfied", 0),
            month=start,
        )
        for start in starts
    ]


def by_country() -> list[ReviewFigures]:
    """One row per buyer country that reviewed, the most reviews first."""
    rows = (
        Review.objects.published()
        .values("country")
        .annotate(reviews=Count("pk"), satisfied=Count("pk", filter=SATISFIED))
        .order_by("-reviews", "country")
    )
    return [
        ReviewFigures(
            key=row["country"],
            label=countries.name(row["country"]) or gettext("Unknown country"),
            reviews=row["reviews"],
            satisfied=row["satisfied"],
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------
# CSV: the three tables in one sheet, a column naming the table of each row
# ---------------------------------------------------------------------------
def analytics_rows() -> Iterator[list[str]]:
    """Return the header, then the rows by branch, by month and by country (three queries).

    The tables are small (branches, 12 months, countries): read now, in the request's language,
    and written out as the response streams.
    """
    header = [
        gettext("Table"),
        gettext("Code"),
        gettext("Name"),
        gettext("Published reviews"),
        gettext("Reviews with 4 or 5 stars"),
        gettext("Satisfaction rate (%)"),
    ]
    tables = [
        (gettext("Craft branch"), by_branch()),
        (gettext("Month"), by_month()),
        (gettext("Buyer country"), by_country()),
    ]
    rows = [
        [
            spreadsheet_text(table),
            spreadsheet_text(figures.key),
            spreadsheet_text(figures.label),
            str(figures.reviews),
            str(figures.satisfied),
            "" if figures.satisfaction is None else f"{figures.satisfaction_percent:.2f}",
        ]
        for table, table_rows in tables
        for figures in table_rows
    ]
    return iter([header, *rows])
