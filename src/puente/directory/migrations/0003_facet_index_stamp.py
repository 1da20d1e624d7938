from django.db import migrations

from puente.directory.facet_index import stamp_operation


class Migration(migrations.Migration):
    """The token that tells web processes their in-memory directory index is out of date."""

    dependencies = [("directory", "0002_full_text_search")]
    operations = [stamp_operation()]
