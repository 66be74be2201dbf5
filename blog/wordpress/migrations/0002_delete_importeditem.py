"""The WordPress importer's memory now lives in ``imports.ImportedItem`` (copied there by imports 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wordpress", "0001_initial"), ("imports", "0001_initial")]

    operations = [migrations.DeleteModel(name="ImportedItem")]
