"""The importers' shared memory, taking over the WordPress importer's own: every row is copied, none lost."""

from django.db import migrations, models


def copy_from_wordpress(apps, schema_editor):
    WordPressItem = apps.get_model("wordpress", "ImportedItem")
    ImportedItem = apps.get_model("imports", "ImportedItem")
    ImportedItem.objects.bulk_create(
        ImportedItem(
            source=old.source,
            kind=old.kind,
            key=str(old.wp_id),
            object_id=old.object_id,
            digest=old.digest,
            imported_at=old.imported_at,
        )
        for old in WordPressItem.objects.iterator()
    )


def copy_back_to_wordpress(apps, schema_editor):
    WordPressItem = apps.get_model("wordpress", "ImportedItem")
    ImportedItem = apps.get_model("imports", "ImportedItem")
    WordPressItem.objects.bulk_create(
        WordPressItem(
            source=item.source,
            kind=item.kind,
            wp_id=int(item.key),
            object_id=item.object_id,
            digest=item.digest,
            imported_at=item.imported_at,
        )
        for item in ImportedItem.objects.filter(key__regex=r"^[0-9]+$").exclude(source__startswith="letterboxd")
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [("wordpress", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ImportedItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "source",
                    models.CharField(
                        help_text="Where the export came from: a WordPress site's URL, a Letterboxd member.",
                        max_length=255,
                    ),
                ),
                ("kind", models.CharField(max_length=20)),
                (
                    "key",
                    models.CharField(
                        help_text="The object's id in the export: a WordPress ID, a Letterboxd URI.", max_length=255
                    ),
                ),
                ("object_id", models.BigIntegerField()),
                (
                    "digest",
                    models.CharField(help_text="A hash of the exported data, to tell what changed.", max_length=64),
                ),
                ("imported_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("source", "kind", "key"), name="one_import_per_object")
                ]
            },
        ),
        migrations.RunPython(copy_from_wordpress, copy_back_to_wordpress),
    ]
