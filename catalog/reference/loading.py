"""Load the reference data Souk ships: regions, HS codes, craft branches, crafts and labels."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from artisans.label_schemes import LABELS
from artisans.models import Label, Region
from artisans.regions import REGIONS
from catalog.models import Craft, CraftBranch, HSCode
from catalog.reference.branches import BRANCHES
from catalog.reference.crafts import CRAFTS
from catalog.reference.hs_nomenclature import HS_CODES
from catalog.reference.hs_translations import HS_TRANSLATIONS

BATCH_SIZE = 500


@dataclass(frozen=True)
class Loaded:
    """What loading one kind of reference row did."""

    created: int
    updated: int
    total: int


@transaction.atomic
def load_reference_data() -> dict[str, Loaded]:
    """Create the missing reference rows and bring the others up to date; safe to run again."""
    # Crafts point at branches and HS codes, so those come first.
    return {
        "regions": load_regions(),
        "HS codes": load_hs_codes(),
        "craft branches": load_branches(),
        "crafts": load_crafts(),
        "labels": load_labels(),
    }


def load_regions() -> Loaded:
    """Load Morocco's 12 regions, in their official order."""
    wanted = {
        code: {"name_en": en, "name_fr": fr, "name_ar": ar, "position": position}
        for position, (code, en, fr, ar) in enumerate(REGIONS, start=1)
    }
    return _sync(Region, "code", wanted)


def load_hs_codes() -> Loaded:
    """Load the handicraft chapters, headings and subheadings, parents before children."""
    created = updated = 0
    for level in (2, 4, 6):
        # Parents were written by the previous pass, so their ids are known now.
        ids = dict(HSCode.objects.values_list("code", "id"))
        wanted = {
            code: _hs_fields(code, section, description, ids)
            for code, section, description in HS_CODES
            if len(code) == level
        }
        loaded = _sync(HSCode, "code", wanted)
        created, updated = created + loaded.created, updated + loaded.updated
    return Loaded(created=created, updated=updated, total=len(HS_CODES))


def load_branches() -> Loaded:
    """Load the 13 craft branches."""
    wanted = {
        slug: {"name_en": en, "name_fr": fr, "name_ar": ar, "position": position}
        for position, (slug, en, fr, ar) in enumerate(BRANCHES, start=1)
    }
    return _sync(CraftBranch, "slug", wanted)


def load_crafts() -> Loaded:
    """Load the named crafts with their branch and usual HS subheading."""
    branch_ids = dict(CraftBranch.objects.values_list("slug", "id"))
    hs_ids = dict(HSCode.objects.values_list("code", "id"))
    wanted = {
        slug: {
            "branch_id": branch_ids[branch],
            "hs_code_id": hs_ids[hs_code],
            "name_en": en,
            "name_fr": fr,
            "name_ar": ar,
        }
        for slug, branch, hs_code, en, fr, ar in CRAFTS
    }
    return _sync(Craft, "slug", wanted)


def load_labels() -> Loaded:
    """Load the label schemes: Morocco Handmade and the ministry's collective marks."""
    wanted = {
        label["slug"]: {
            "kind": label["kind"],
            "has_levels": label["has_levels"],
            **{
                f"{field}_{language}": label[field][language]
                for field in ("name", "issuer", "description")
                for language in ("en", "fr", "ar")
            },
        }
        for label in LABELS
    }
    return _sync(Label, "slug", wanted)


def _hs_fields(code: str, section: str, description: str, ids: Mapping[str, int]) -> dict:
    fields = {
        "level": len(code),
        "section": section,
        "parent_id": ids[code[:-2]] if len(code) > 2 else None,
        "description_en": description,
    }
    if code in HS_TRANSLATIONS:
        # Only where Souk ships a translation: one an admin typed for another code stays.
        fields["description_fr"], fields["description_ar"] = HS_TRANSLATIONS[code]
    return fields


def _sync(model: type[models.Model], key: str, wanted: Mapping[str, Mapping[str, Any]]) -> Loaded:
    """Create the rows of wanted missing from the table and update those that differ."""
    existing = {getattr(row, key): row for row in model.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    for value, fields in wanted.items():
        row = existing.get(value)
        if row is None:
            to_create.append(model(**{key: value}, **fields))
            continue
        changed = {name for name, new in fields.items() if getattr(row, name) != new}
        if changed:
            for name in changed:
                setattr(row, name, fields[name])
            to_update.append(row)
            changed_fields |= changed
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    return Loaded(created=len(to_create), updated=len(to_update), total=len(wanted))
