"""People's search text no longer names organizations whose profile is not public.

``services.person_search_text`` now leaves such names out (a visitor found who works at an
organization they may not see); this rewrites the text of the people it concerns. The
function reads only fields these historical models have.
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from puente.directory.services import person_search_text


def rewrite(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    person_model = apps.get_model("directory", "Person")
    concerned = person_model.objects.filter(
        positions__organization__in=apps.get_model("directory", "Organization")
        .objects.exclude(profile_visibility="public")
        .values("pk")
    ).distinct()
    for person in concerned.prefetch_related("expertise", "positions__organization"):
        text = person_search_text(person, person.expertise.all(), person.positions.all())
        if text != person.search_text:
            person_model.objects.filter(pk=person.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_sort_names")]
    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
