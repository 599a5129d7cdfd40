"""Slugs of new rows: "name", "name-2", "name-3"..., picked again if another writer takes one.

Cooperatives (artisans/onboarding.py) and products (catalog/listing.py) are named this way;
it lives in artisans, which catalog may import.
"""

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

# Tries at a free slug when another writer takes the same one at the same moment.
SLUG_ATTEMPTS = 5


def free_slug(text: str, *, among: models.QuerySet, fallback: str, base_length: int) -> str:
    """Return a slug of text that no row of among has: "text", "text-2", "text-3"...

    base_length leaves room for the number within the slug field; fallback is the base when
    text slugifies to nothing (Arabic, say).
    """
    base = slugify(text)[:base_length].strip("-") or fallback
    taken = set(among.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def save_with_free_slug(row: models.Model, *, text: str, fallback: str, base_length: int) -> None:
    """Save the new row under a free slug of text, trying again if another writer takes it first."""
    among = type(row)._default_manager.all()
    for attempt in range(SLUG_ATTEMPTS):
        row.slug = free_slug(text, among=among, fallback=fallback, base_length=base_length)
        try:
            with transaction.atomic():  # a savepoint: a taken slug must not end the transaction
                row.save()
        except IntegrityError:
            # Another writer took the slug since free_slug() looked (PostgreSQL; on SQLite
            # writers take turns). Any other refusal recurs and is raised at the end.
            if attempt == SLUG_ATTEMPTS - 1:
                raise
        else:
            return
