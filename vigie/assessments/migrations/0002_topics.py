"""The topics of strategic analysis the body starts with; it adds others as data."""

from django.db import migrations

TOPICS = [
    ("jihadism", "Jihadism", "Djihadisme", "Jihadisme"),
    ("far-right", "Far right", "Extrême droite", "Extreemrechts"),
    ("far-left-anarchism", "Far left and anarchism", "Extrême gauche et anarchisme",
     "Extreemlinks en anarchisme"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("assessments", "Topic")
    for code, en, fr, nl in TOPICS:
        Topic.objects.update_or_create(
            code=code, defaults={"name_en": en, "name_fr": fr, "name_nl": nl}
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
