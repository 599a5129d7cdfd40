"""HS codes: import the nomenclature from a CSV file, the rules a product's code obeys, and
the search a seller picks a code with.

The file has the layout of the HS 2022 extract (`section,hscode,description,parent,level`):
chapters (2 digits) hang under the pseudo-parent TOTAL, headings (4) under their chapter and
subheadings (6) under their heading. Sections ("I", "XI") are stored, not codes.
"""

import csv
from dataclasses import dataclass, field
from typing import NamedTuple, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.digits import ascii_digits
from catalog.models import Craft, HSCode, HSCodeLevel

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


# ---------------------------------------------------------------------------
# A seller picks a product's code
# ---------------------------------------------------------------------------
# What a search reads of the query: enough for any code or description words, no more.
MAX_SEARCH_CHARS = 100
MAX_SEARCH_WORDS = 6
MAX_SEARCH_WORD_CHARS = 40
SEARCH_LIMIT = 20
# Punctuation around a word ("tapis," «laine») is not part of it; dots inside codes are.
_WORD_EDGES = "\"'“”‘’«»()[]{},;:!?،؛؟"


def find_subheading(text: str) -> HSCode:
    """Return the 6-digit subheading the seller typed ("5701.10", "570110"), or raise why not."""
    # Sellers type on Arabic phone keyboards too: "٥٧٠١١٠" is 570110.
    code = normalize_hs_code(ascii_digits(text))
    if not (code.isascii() and code.isdigit() and len(code) in HSCodeLevel.values):
        raise ValidationError(
            _("Type the 6-digit HS code, for example 5701.10, or pick one from the list."),
            code="hs_code_format",
        )
    if len(code) < HSCodeLevel.SUBHEADING:
        # A chapter or heading: name a few of its subheadings so the seller can choose.
        under = list(
            HSCode.objects.subheadings().filter(code__startswith=code).order_by("code")[:3]
        )
        if under:
            raise ValidationError(
                _(
                    "%(code)s is a group of codes: customs need one of its 6-digit "
                    "subheadings, such as %(examples)s."
                ),
                code="hs_code_not_subheading",
                params={"code": code, "examples": ", ".join(c.dotted_code for c in under)},
            )
    else:
        found = HSCode.objects.subheadings().filter(code=code).first()
        if found is not None:
            return found
    raise ValidationError(
        _("There is no HS code %(code)s. Check the number, or search the list by words."),
        code="hs_code_unknown",
        params={"code": text.strip()[:20]},
    )


def search_subheadings(
    query: str, *, limit: int = SEARCH_LIMIT, craft: Craft | None = None
) -> list[HSCode]:
    """The subheadings matching every word of the query, the craft's usual code first.

    A word of digits (dots allowed: "5701.1") matches the start of the code; any other word
    the description in English, French or Arabic. With no words, the craft's usual code
    and the other subheadings of its heading; with neither, nothing.
    """
    words = _search_words(query)
    codes = HSCode.objects.subheadings()
    usual = craft.hs_code if craft is not None else None
    if usual is not None and usual.level != HSCodeLevel.SUBHEADING:
        usual = None
    if not words:
        if usual is None:
            return []
        codes = codes.filter(parent_id=usual.parent_id)
    description_fields = [f"description_{language}" for language, _name in settings.LANGUAGES]
    for word in words:
        digits = word.replace(".", "")
        if digits.isascii() and digits.isdigit():
            codes = codes.filter(code__startswith=digits)
        else:
            matches = Q()
            for name in description_fields:
                matches |= Q(**{f"{name}__icontains": word})
            codes = codes.filter(matches)
    ordering = ["code"]
    if usual is not None:
        ordering.insert(0, Case(When(pk=usual.pk, then=Value(0)), default=Value(1)))
    return list(codes.order_by(*ordering)[:limit])


def _search_words(query: str) -> list[str]:
    # Control characters are no one's search, and PostgreSQL refuses NUL in a parameter.
    query = "".join(c if c.isprintable() else " " for c in query[:MAX_SEARCH_CHARS])
    query = ascii_digits(query)
    code = normalize_hs_code(query)
    if code.isascii() and code.isdigit():  # "5701 10" is one code, not two
        return [code]
    words = []
    for raw in query.split():
        word = raw.strip(_WORD_EDGES)[:MAX_SEARCH_WORD_CHARS]
        # One letter matches nearly every description; one digit is a chapter's start.
        if len(word) > 1 or word.isdigit():
            words.append(word)
    return list(dict.fromkeys(words))[:MAX_SEARCH_WORDS]
