from django.core.management.base import BaseCommand

from catalog.reference.loading import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the regions, HS codes, craft branches, crafts and labels Souk ships; "
        "safe to run again."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        loaded = load_reference_data()
        if verbosity:
            for name, counts in loaded.items():
                self.stdout.write(
                    f"{name}: {counts.total} ({counts.created} created, {counts.updated} updated)"
                )
