"""Default exchange and shipping rates, so that every install can price a cart.

Admins edit them afterwards; this migration never overwrites a rate that exists.
"""

from decimal import Decimal

from django.db import migrations

EXCHANGE_RATES = {"EUR": Decimal("10.85"), "USD": Decimal("10.05")}
# (zone, up to grams, price in MAD)
SHIPPING_RATES = [
    ("morocco", 1000, Decimal("45")),
    ("morocco", 5000, Decimal("90")),
    ("morocco", 30000, Decimal("250")),
    ("europe", 1000, Decimal("180")),
    ("europe", 5000, Decimal("420")),
    ("europe", 30000, Decimal("1400")),
    ("north_america", 1000, Decimal("260")),
    ("north_america", 5000, Decimal("640")),
    ("north_america", 30000, Decimal("2100")),
    ("world", 1000, Decimal("300")),
    ("world", 5000, Decimal("750")),
    ("world", 30000, Decimal("2500")),
]


def add_default_rates(apps, schema_editor):
    ExchangeRate = apps.get_model("marketplace", "ExchangeRate")
    ShippingRate = apps.get_model("marketplace", "ShippingRate")
    for currency, mad_per_unit in EXCHANGE_RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=currency, defaults={"mad_per_unit": mad_per_unit}
        )
    for zone, max_weight_grams, price in SHIPPING_RATES:
        ShippingRate.objects.get_or_create(
            zone=zone, max_weight_grams=max_weight_grams, defaults={"price": price}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0002_cart_rates_orders"),
    ]

    operations = [
        migrations.RunPython(add_default_rates, migrations.RunPython.noop),
    ]
