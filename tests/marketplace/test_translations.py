"""The Arabic and French interface: every string of the code is in locale/ and translated, and
dates read in the language's order."""

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["ar", "fr"]
SOURCES = ["artisans", "catalog", "marketplace", "payments", "templates", "manage.py"]


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: apt-get install gettext (make test installs it)")
    return path


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The strings the code marks today, extracted by makemessages into a copy of the project."""
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    for language in LANGUAGES:
        (copy / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-v0",
        *(f"-l{lang}" for lang in LANGUAGES),
    ]
    subprocess.run(command, cwd=copy, check=True, env={"DEBUG": "1", "PATH": "/usr/bin:/bin"})
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalog(extracted, language):
    """Fails when a string was added to the code without `make messages`."""
    ours = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    marked = extracted / language / "LC_MESSAGES" / "django.po"

    # msgcmp: every msgid of the second file must be in the first.
    done = subprocess.run(
        [gettext_tool("msgcmp"), "--use-untranslated", str(ours), str(marked)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, f"run `make messages` and translate:\n{done.stderr}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    catalog = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"

    done = subprocess.run(
        [gettext_tool("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(catalog)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "translated messages" in done.stderr
    assert "untranslated" not in done.stderr
    assert "fuzzy" not in done.stderr


def test_arabic_dates_with_a_time_read_in_arabic_order():
    moment = datetime(2026, 11, 20, 18, 34, tzinfo=UTC)

    with translation.override("ar"):
        long_form = date_format(moment, "DATETIME_FORMAT")
        short_form = date_format(moment, "SHORT_DATETIME_FORMAT")

    assert long_form == "20 نوفمبر، 2026، 18:34"
    assert short_form == "20\u200f/11\u200f/2026 18:34"
