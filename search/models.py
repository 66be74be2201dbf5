from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchMiss(models.Model):
    """A search that found nothing, so editors can see what readers look for in vain."""

    query_string = models.CharField(max_length=255, unique=True)
    hits = models.PositiveIntegerField(default=0)
    last_searched_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("search with no results")
        verbose_name_plural = _("searches with no results")

    def __str__(self):
        return self.query_string
