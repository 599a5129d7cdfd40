from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.hs_codes import import_hs_codes


class Command(BaseCommand):
    help = (
        "Import HS codes from a CSV file with the columns section,hscode,description,parent,level "
        "(the layout of the HS 2022 nomenclature). Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file, in UTF-8.")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            # utf-8-sig: a file saved by a spreadsheet starts with a byte-order mark.
            with file.open(encoding="utf-8-sig", newline="") as handle:
                report = import_hs_codes(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        except ValidationError as error:
            raise CommandError(
                f"{file}: {' '.join(error.messages)} Nothing was imported."
            ) from error
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {len(report.rejected)}"
        )
        for line, reason in report.rejected:
            self.stdout.write(f"line {line}: {reason}")
