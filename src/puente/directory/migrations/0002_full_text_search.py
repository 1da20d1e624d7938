from django.db import migrations

from puente.directory.models import ORGANIZATION_INDEX, PERSON_INDEX


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [ORGANIZATION_INDEX.migration_operation(), PERSON_INDEX.migration_operation()]
