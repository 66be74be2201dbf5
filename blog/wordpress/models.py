"""What came from which WordPress site, so that importing again updates instead of duplicating."""

from django.db import models


class ImportedItem(models.Model):
    """One WordPress object (post, page, attachment, comment…) and the Marquee object made from it."""

    source = models.CharField(max_length=255, help_text="The WordPress site's base URL, from the export.")
    kind = models.CharField(max_length=20)
    wp_id = models.BigIntegerField()
    object_id = models.BigIntegerField()
    digest = models.CharField(max_length=64, help_text="A hash of the exported data, to tell what changed.")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="one_import_per_wp_object")]

    def __str__(self):
        return f"{self.source} {self.kind} {self.wp_id} → {self.object_id}"
