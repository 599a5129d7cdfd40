from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from catalog.hs_codes import (
    import_hs_codes,
    is_valid_subheading,
    normalize_hs_code,
    validate_product_hs_code,
)
from catalog.models import HSCode, HSCodeLevel
from tests.factories import HSCodeFactory

pytestmark = pytest.mark.django_db

HEADER = "section,hscode,description,parent,level\n"
# The shape of real lines of the HS 2022 extract.
CARPETS = (
    "XI,57,Carpets and other textile floor coverings,TOTAL,2\n"
    'XI,5701,"Carpets and other textile floor coverings; knotted, whether or not made up",57,4\n'
    'XI,570110,"Carpets and other textile floor coverings; knotted, of wool or fine animal hair, whether or not made up",5701,6\n'
    'XI,570190,"Carpets and other textile floor coverings; knotted, of textile materials (other than wool or fine animal hair), whether or not made up",5701,6\n'
)


def write(tmp_path: Path, text: str | bytes, name: str = "hs.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_import(path: Path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return import_hs_codes(handle)


def run_command(path: Path) -> str:
    out = StringIO()
    call_command("import_hs", str(path), stdout=out)
    return out.getvalue()


def test_import_creates_codes_with_levels_sections_and_parents(tmp_path):
    report = run_import(write(tmp_path, HEADER + CARPETS))

    assert (report.created, report.updated, report.unchanged, report.rejected) == (4, 0, 0, [])
    subheading = HSCode.objects.select_related("parent__parent").get(code="570110")
    assert subheading.level == HSCodeLevel.SUBHEADING
    assert subheading.section == "XI"
    assert subheading.description_en.endswith("of wool or fine animal hair, whether or not made up")
    assert subheading.parent.code == "5701"
    assert subheading.parent.level == HSCodeLevel.HEADING
    assert subheading.parent.parent.code == "57"
    assert subheading.parent.parent.parent is None


def test_import_twice_creates_and_updates_nothing_the_second_time(tmp_path):
    path = write(tmp_path, HEADER + CARPETS)
    run_import(path)
    pks = dict(HSCode.objects.values_list("code", "pk"))

    report = run_import(path)

    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 4, [])
    assert dict(HSCode.objects.values_list("code", "pk")) == pks


def test_import_updates_the_english_description_and_keeps_translations(tmp_path):
    run_import(write(tmp_path, HEADER + CARPETS))
    HSCode.objects.filter(code="5701").update(
        description_fr="Tapis à points noués", description_ar="السجاد المعقود"
    )
    changed = CARPETS.replace("knotted, whether or not made up", "knotted, made up or not")

    report = run_import(write(tmp_path, HEADER + changed, name="changed.csv"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    heading = HSCode.objects.get(code="5701")
    assert (
        heading.description_en
        == "Carpets and other textile floor coverings; knotted, made up or not"
    )
    assert heading.description_fr == "Tapis à points noués"
    assert heading.description_ar == "السجاد المعقود"


def test_import_takes_children_before_their_parents_in_the_file(tmp_path):
    lines = CARPETS.splitlines(keepends=True)

    report = run_import(write(tmp_path, HEADER + "".join(reversed(lines))))

    assert (report.created, report.rejected) == (4, [])
    assert HSCode.objects.get(code="570190").parent.code == "5701"


def test_import_finds_parents_already_in_the_database(tmp_path):
    chapter = HSCodeFactory(code="69", level=HSCodeLevel.CHAPTER, description_en="Ceramic products")
    lines = (
        "XIII,6912,Ceramic tableware and kitchenware,69,4\n"
        "XIII,691200,Ceramic tableware; other than of porcelain or china,6912,6\n"
    )

    report = run_import(write(tmp_path, HEADER + lines))

    assert (report.created, report.rejected) == (2, [])
    assert HSCode.objects.get(code="6912").parent == chapter


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("TOTAL,TOTAL,Total of all HS2022 commodities,TOTAL,5", "level must be 2, 4 or 6, not “5”"),
        ("XI,5702,Carpets; woven,57,four", "level must be 2, 4 or 6, not “four”"),
        ("XI,57A2,Carpets; woven,57,4", "code “57A2” must be 4 digits for level 4"),
        ("XI,57021,Carpets; woven,57,4", "code “57021” must be 4 digits for level 4"),
        ("XI,5702,,57,4", "description is empty"),
        ("XI,5702,   ,57,4", "description is empty"),
        ("XI,5702,Carpets; woven,58,4", "parent “58” does not match code 5702 (expected 57)"),
        ("XI,58,Special woven fabrics,57,2", "a chapter's parent must be TOTAL or empty, not “57”"),
        ("XI,5702,Carpets; woven,57", "expected 5 columns, found 4"),
        ("XI,5701,Knotted carpets again,57,4", "code 5701 already appears on line 3"),
        (
            "XI,570310,Carpets; tufted of wool,5703,6",
            "parent 5703 is neither in the database nor a valid line of the file",
        ),
        ("TOOLONG,5702,Carpets; woven,57,4", "section “TOOLONG” is longer than 5 characters"),
    ],
)
def test_import_rejects_a_bad_line_with_its_number_and_reason(tmp_path, line, reason):
    report = run_import(write(tmp_path, HEADER + CARPETS + line + "\n"))

    assert report.rejected == [(6, reason)]
    assert report.created == 4
    assert sorted(HSCode.objects.values_list("code", flat=True)) == [
        "57",
        "5701",
        "570110",
        "570190",
    ]


def test_import_rejects_the_children_of_a_rejected_heading(tmp_path):
    lines = "XI,5702,,57,4\nXI,570210,Kelem and similar hand-woven rugs,5702,6\n"

    report = run_import(write(tmp_path, HEADER + CARPETS + lines))

    assert report.rejected == [
        (6, "description is empty"),
        (7, "parent 5702 is neither in the database nor a valid line of the file"),
    ]
    assert not HSCode.objects.filter(code__startswith="5702").exists()


def test_import_skips_blank_lines(tmp_path):
    report = run_import(write(tmp_path, HEADER + "\n" + CARPETS + "\n\n"))

    assert (report.created, report.rejected) == (4, [])


def test_import_with_a_wrong_header_raises_and_writes_nothing(tmp_path):
    path = write(tmp_path, "hscode,description,parent,level\n" + CARPETS)

    with pytest.raises(ValidationError) as raised:
        run_import(path)

    assert raised.value.code == "wrong_layout"
    assert not HSCode.objects.exists()


def test_command_prints_counts_and_each_rejected_line(tmp_path):
    path = write(
        tmp_path, HEADER + CARPETS + "XI,5702,,57,4\nXI,58,Special woven fabrics,TOTAL,9\n"
    )

    out = run_command(path)

    assert out.splitlines() == [
        "created 4, updated 0, unchanged 0, rejected 2",
        "line 6: description is empty",
        "line 7: level must be 2, 4 or 6, not “9”",
    ]
    assert HSCode.objects.count() == 4


def test_command_reads_a_file_with_a_byte_order_mark(tmp_path):
    path = write(tmp_path, ("\ufeff" + HEADER + CARPETS).encode("utf-8"))

    out = run_command(path)

    assert out.startswith("created 4, updated 0, unchanged 0, rejected 0")
    assert HSCode.objects.count() == 4


def test_command_fails_on_a_wrong_layout_and_writes_nothing(tmp_path):
    path = write(tmp_path, "code;description;level\n5701;Knotted carpets;4\n")

    with pytest.raises(
        CommandError, match="The first line must be “section,hscode,description,parent,level”"
    ):
        run_command(path)

    assert not HSCode.objects.exists()


def test_command_fails_on_an_empty_file(tmp_path):
    with pytest.raises(CommandError, match=r"The file is empty\. Nothing was imported\."):
        run_command(write(tmp_path, ""))

    assert not HSCode.objects.exists()


def test_command_fails_on_a_binary_file(tmp_path):
    garbage = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd" + bytes(range(256)) * 4

    with pytest.raises(CommandError, match="is not CSV text in UTF-8"):
        run_command(write(tmp_path, garbage, name="photo.csv"))

    assert not HSCode.objects.exists()


def test_command_writes_nothing_when_bad_bytes_follow_good_lines(tmp_path):
    path = write(
        tmp_path, (HEADER + CARPETS).encode("utf-8") + b"XI,5702,Carpets \xff woven,57,4\n"
    )

    with pytest.raises(CommandError, match=r"not CSV text in UTF-8 .*Nothing was imported"):
        run_command(path)

    assert not HSCode.objects.exists()


@pytest.mark.parametrize("name", ["missing.csv", "."])
def test_command_fails_on_a_missing_or_unreadable_path(tmp_path, name):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_hs", str(tmp_path / name))


def test_is_valid_subheading_accepts_only_existing_six_digit_codes(tmp_path):
    run_import(write(tmp_path, HEADER + CARPETS))

    assert is_valid_subheading("570110")
    assert is_valid_subheading("5701.10")
    assert not is_valid_subheading("5701")
    assert not is_valid_subheading("570120")
    assert not is_valid_subheading("57011O")
    assert not is_valid_subheading("")


def test_normalize_hs_code_drops_dots_and_spaces():
    assert normalize_hs_code(" 5701.10 ") == "570110"


def test_validate_product_hs_code_refuses_a_heading(tmp_path):
    run_import(write(tmp_path, HEADER + CARPETS))

    with pytest.raises(ValidationError) as raised:
        validate_product_hs_code(HSCode.objects.get(code="5701"))

    assert raised.value.code == "hs_code_not_subheading"
    assert "5701" in raised.value.messages[0]
    validate_product_hs_code(HSCode.objects.get(code="570110"))
    validate_product_hs_code(None)
