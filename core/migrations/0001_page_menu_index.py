from django.db import migrations

# Every public page draws the main menu: the live children of the home page
# that editors ticked "Show in menus". Wagtail finds children by a range of
# tree paths, which covers every page below the home page (20,000 reviews
# included) before it filters on depth. A partial index on the few pages shown
# in menus answers that query from a handful of entries. PostgreSQL and SQLite
# both accept this statement.
INDEX = "core_page_in_menus"


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0001_initial")]
    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "wagtailcore_page" ("path") WHERE "show_in_menus"',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        )
    ]
