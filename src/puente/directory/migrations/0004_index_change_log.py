from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from puente.directory import facet_index, index_changes


def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    facet_index._drop_stamp_triggers(schema_editor)
    index_changes._create(schema_editor)


def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    index_changes._drop(schema_editor)
    facet_index._drop_stamp(schema_editor)
    facet_index._create_stamp(schema_editor)


class Migration(migrations.Migration):
    """The change log that lets web processes refresh their directory index row by row.

    The stamp token of 0003 stays (now written by the log's triggers): it still answers
    "anything new?" in one query, and the log says which organizations to re-read.
    """

    dependencies = [("directory", "0003_facet_index_stamp")]
    operations = [migrations.RunPython(forward, backward)]
