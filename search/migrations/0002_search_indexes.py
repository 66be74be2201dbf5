from django.db import migrations

# PostgreSQL only. The typeahead matches titles and names anywhere in the
# string (Django's icontains: UPPER(col::text) LIKE UPPER('%…%')): trigram
# indexes on those expressions answer it without reading every page and
# person. Wagtail's database search matches `title || body` of its index
# entries, which its own indexes on each column cannot serve: an index on the
# concatenation halves a search for a common word at 20,000 reviews.
INDEXES = {
    "search_page_title_trgm": 'ON "wagtailcore_page" USING gin ((UPPER("title"::text)) gin_trgm_ops)',
    "search_person_name_trgm": 'ON "blog_person" USING gin ((UPPER("name"::text)) gin_trgm_ops)',
    "search_indexentry_title_body": 'ON "wagtailsearch_indexentry" USING gin (("title" || "body"))',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" {definition}')


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
        ("wagtailsearch", "0010_add_text_fields"),
    ]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
