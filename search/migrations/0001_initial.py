from django.db import migrations, models


def create_trigram_extension(apps, schema_editor):
    # Fuzzy title matching for misspelt searches; PostgreSQL only.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="SearchMiss",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("query_string", models.CharField(max_length=255, unique=True)),
                ("hits", models.PositiveIntegerField(default=0)),
                ("last_searched_at", models.DateTimeField(auto_now=True, db_index=True)),
            ],
            options={"verbose_name": "search with no results", "verbose_name_plural": "searches with no results"},
        ),
        migrations.RunPython(create_trigram_extension, migrations.RunPython.noop),
    ]
