"""HS codes: import the nomenclature from a CSV file, and the rules a product's code obeys.

The file has the layout of the HS 2022 extract (`section,hscode,description,parent,level`):
chapters (2 digits) hang under the pseudo-parent TOTAL, headings (4) under their chapter and
subheadings (6) under their heading. Sections ("I", "XI") are stored, not codes.
"""

import csv
from dataclasses import dataclass, field
from typing import NamedTuple, TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import HSCode, HSCodeLevel

COLUMNS = ["section", "hscode", "description", "parent", "level"]
# What the nomenclature puts as the parent of a chapter: chapters have no parent row.
CHAPTER_PARENTS = frozenset({"", "TOTAL"})
LEVELS = {"2": 2, "4": 4, "6": 6}
SECTION_MAX_LENGTH = HSCode._meta.get_field("section").max_length
BATCH_SIZE = 500


@dataclass
class ImportReport:
    """What an import did: counts of codes, and each rejected line with its reason."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    section: str
    description: str

    @property
    def parent_code(self) -> str | None:
        return self.code[:-2] or None


class _Stored(NamedTuple):
    pk: int
    section: str
    description: str
    parent_id: int | None


@transaction.atomic(durable=True)
def import_hs_codes(file: TextIO) -> ImportReport:
    """Create or update the file's HS codes; if its layout is wrong, raise and write nothing."""
    rows, rejected = _read(file)
    report = ImportReport(rejected=rejected)
    stored = _stored(HSCode.objects.all())
    # Parents before children: each level's parents are in the database when its turn comes.
    for level in sorted(HSCodeLevel.values):
        _write_level([row for row in rows if len(row.code) == level], stored, report)
        stored.update(_stored(HSCode.objects.filter(level=level)))
    report.rejected.sort()
    return report


def _write_level(rows: list[_Row], stored: dict[str, _Stored], report: ImportReport) -> None:
    """Create the new codes of one level and update the changed ones; count them in report."""
    to_create, to_update = [], []
    for row in rows:
        parent_id = None
        if row.parent_code is not None:
            parent = stored.get(row.parent_code)
            if parent is None:
                report.rejected.append((row.line, _parent_missing(row.parent_code)))
                continue
            parent_id = parent.pk
        current = stored.get(row.code)
        if current is None:
            to_create.append(
                HSCode(
                    code=row.code,
                    level=len(row.code),
                    section=row.section,
                    description_en=row.description,
                    parent_id=parent_id,
                )
            )
        elif (current.section, current.description, current.parent_id) != (
            row.section,
            row.description,
            parent_id,
        ):
            # English only: the French and Arabic descriptions are Souk's own translations.
            changed = HSCode(pk=current.pk, section=row.section, parent_id=parent_id)
            changed.description_en = row.description
            to_update.append(changed)
        else:
            report.unchanged += 1
    HSCode.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    HSCode.objects.bulk_update(
        to_update, ["section", "description_en", "parent_id"], batch_size=BATCH_SIZE
    )
    report.created += len(to_create)
    report.updated += len(to_update)


def _stored(codes: QuerySet[HSCode]) -> dict[str, _Stored]:
    return {
        code: _Stored(*values)
        for code, *values in codes.values_list(
            "code", "id", "section", "description_en", "parent_id"
        )
    }


def normalize_hs_code(text: str) -> str:
    """Return the code as digits only: "5701.10" and " 570110 " become "570110"."""
    return "".join(text.split()).replace(".", "")


def is_valid_subheading(code: str) -> bool:
    """Tell whether the code is a 6-digit subheading that exists in the database."""
    code = normalize_hs_code(code)
    return (
        len(code) == HSCodeLevel.SUBHEADING
        and code.isdigit()
        and HSCode.objects.subheadings().filter(code=code).exists()
    )


def validate_product_hs_code(hs_code: HSCode | None) -> None:
    """Raise ValidationError if the code is not a 6-digit subheading; None is for publishing to refuse."""
    if hs_code is not None and hs_code.level != HSCodeLevel.SUBHEADING:
        raise ValidationError(
            _("A product needs a 6-digit HS subheading; %(code)s is a %(level)s."),
            code="hs_code_not_subheading",
            params={"code": hs_code.code, "level": hs_code.get_level_display()},
        )


def _read(file: TextIO) -> tuple[list[_Row], list[tuple[int, str]]]:
    """Parse and check every line; raise ValidationError when the file is not of the layout."""
    reader = csv.reader(file)
    rows: list[_Row] = []
    rejected: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationError(_("The file is empty."), code="empty_file")
        header = [cell.strip().lstrip("\ufeff") for cell in header]
        if header != COLUMNS:
            raise ValidationError(
                _("The first line must be “%(expected)s”, not “%(found)s”."),
                code="wrong_layout",
                params={"expected": ",".join(COLUMNS), "found": ",".join(header)[:200]},
            )
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            row_or_reason = _check(cells, reader.line_num)
            if isinstance(row_or_reason, str):
                rejected.append((reader.line_num, row_or_reason))
            elif row_or_reason.code in seen:
                rejected.append(
                    (
                        reader.line_num,
                        gettext("code %(code)s already appears on line %(line)s")
                        % {"code": row_or_reason.code, "line": seen[row_or_reason.code]},
                    )
                )
            else:
                seen[row_or_reason.code] = reader.line_num
                rows.append(row_or_reason)
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValidationError(
            _("The file is not CSV text in UTF-8 (%(error)s)."),
            code="not_csv",
            params={"error": str(error)[:200]},
        ) from error
    return rows, rejected


def _check(cells: list[str], line: int) -> "_Row | str":
    """Return the row if its cells are valid, else the reason it is rejected."""
    if len(cells) != len(COLUMNS):
        return gettext("expected %(expected)s columns, found %(found)s") % {
            "expected": len(COLUMNS),
            "found": len(cells),
        }
    section, code, description, parent, level_text = (cell.strip() for cell in cells)
    level = LEVELS.get(level_text)
    if level is None:
        return gettext("level must be 2, 4 or 6, not “%(level)s”") % {"level": level_text}
    if not (code.isascii() and code.isdigit() and len(code) == level):
        return gettext("code “%(code)s” must be %(level)s digits for level %(level)s") % {
            "code": code,
            "level": level,
        }
    if not description:
        return gettext("description is empty")
    if len(section) > SECTION_MAX_LENGTH:
        return gettext("section “%(section)s” is longer than %(max)s characters") % {
            "section": section,
            "max": SECTION_MAX_LENGTH,
        }
    if level == HSCodeLevel.CHAPTER:
        if parent not in CHAPTER_PARENTS:
            return gettext("a chapter's parent must be TOTAL or empty, not “%(parent)s”") % {
                "parent": parent
            }
    elif parent != code[:-2]:
        return gettext(
            "parent “%(parent)s” does not match code %(code)s (expected %(expected)s)"
        ) % {
            "parent": parent,
            "code": code,
            "expected": code[:-2],
        }
    return _Row(line=line, code=code, section=section, description=description)


def _parent_missing(parent: str) -> str:
    return gettext("parent %(parent)s is neither in the database nor a valid line of the file") % {
        "parent": parent
    }
