from django.db import migrations

# The typeahead matches titles and names anywhere in the string (Django's
# icontains: UPPER(col::text) LIKE UPPER('%…%')). Trigram indexes on those
# expressions let PostgreSQL answer without reading every page and person.
INDEXES = {
    "search_page_title_trgm": ("wagtailcore_page", "title"),
    "search_person_name_trgm": ("blog_person", "name"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("blog", "0004_tags_and_optional_year"),
        ("wagtailcore", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
