from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import purge_page_from_cache
from wagtail.models import Page

from .models import Comment


@receiver(pre_save, sender=Comment)
def remember_status(sender, instance, **kwargs):
    instance._previous_status = (
        Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first() if instance.pk else None
    )


def refresh_review(review_id):
    """Refresh the review (and the listings' counts) in every cache once the change commits."""

    from home.pagecache import new_generation

    new_generation()

    def purge():
        from blog.models import ReviewPage

        review = ReviewPage.objects.filter(pk=review_id).first()
        if review is not None:
            purge_page_from_cache(review)

    transaction.on_commit(purge)


@receiver(post_save, sender=Comment)
def comment_saved(sender, instance, created, **kwargs):
    was_visible = instance._previous_status == Comment.Status.APPROVED
    if was_visible or instance.is_approved:
        refresh_review(instance.review_id)


@receiver(post_delete, sender=Comment)
def comment_deleted(sender, instance, origin=None, **kwargs):
    if instance.is_approved and not isinstance(origin, Page):
        refresh_review(instance.review_id)
