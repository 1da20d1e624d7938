from django.db import migrations

from puente.marketplace.models import OPPORTUNITY_INDEX


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]
    operations = [OPPORTUNITY_INDEX.migration_operation()]
