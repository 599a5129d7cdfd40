"""PayoutEntry: drop the net = gross - commission check, which SQLite evaluates in floating point."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0002_default_commission'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='payoutentry',
            name='payout_entry_net_is_gross_less_commission',
        ),
    ]
