"""Each existing hub gets the default landing checklist of its country (data, editable after)."""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    from puente.landing.checklists import DEFAULT_CHECKLISTS

    Hub = apps.get_model("core", "Hub")
    Item = apps.get_model("landing", "ChecklistTemplateItem")
    for hub in Hub.objects.all():
        if Item.objects.filter(hub=hub).exists():
            continue
        for order, (code, title_en, title_es, description_en, description_es, days) in enumerate(DEFAULT_CHECKLISTS.get(hub.country.upper(), [])):
            Item.objects.create(hub=hub, code=code, title_en=title_en, title_es=title_es, description_en=description_en, description_es=description_es, due_after_days=days, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("landing", "0001_initial"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
