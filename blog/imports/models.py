"""What came from which outside site, so that importing again updates instead of duplicating."""

from django.db import models


class ImportedItem(models.Model):
    """One object from an export (a WordPress post, a Letterboxd review…) and the Marquee object made from it."""

    source = models.CharField(
        max_length=255, help_text="Where the export came from: a WordPress site's URL, a Letterboxd member."
    )
    kind = models.CharField(max_length=20)
    key = models.CharField(
        max_length=255, help_text="The object's id in the export: a WordPress ID, a Letterboxd URI."
    )
    object_id = models.BigIntegerField()
    digest = models.CharField(max_length=64, help_text="A hash of the exported data, to tell what changed.")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "kind", "key"], name="one_import_per_object")]

    def __str__(self):
        return f"{self.source} {self.kind} {self.key} → {self.object_id}"
