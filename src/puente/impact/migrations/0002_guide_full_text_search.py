from django.db import migrations

from puente.impact.models import GUIDE_INDEX


class Migration(migrations.Migration):
    dependencies = [("impact", "0001_initial")]

    operations = [GUIDE_INDEX.migration_operation()]
