"""The marketplace's default commission: 10% of each sale, from the start."""

import datetime
from decimal import Decimal

from django.db import migrations

START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


def add_default_rate(apps, schema_editor):
    CommissionRate = apps.get_model("payments", "CommissionRate")
    if not CommissionRate.objects.exists():
        CommissionRate.objects.create(rate=Decimal("0.1000"), valid_from=START)


def remove_default_rate(apps, schema_editor):
    CommissionRate = apps.get_model("payments", "CommissionRate")
    CommissionRate.objects.filter(rate=Decimal("0.1000"), valid_from=START).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(add_default_rate, remove_default_rate)]
