from django.db import migrations

from puente.core.reference_data import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("core", "TaxonomyTerm"),
        apps.get_model("core", "Hub"),
        apps.get_model("core", "HubPartnership"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
