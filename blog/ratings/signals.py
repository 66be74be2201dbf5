from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page

from .models import ReaderRating
from .voting import recompute_summary


@receiver(post_delete, sender=ReaderRating)
def rating_deleted(sender, instance, origin=None, **kwargs):
    # A moderator removed a vote: the totals follow. When the review itself is
    # being deleted its totals go with it, so there is nothing to rebuild.
    if isinstance(origin, Page):
        return
    recompute_summary(instance.review_id)
