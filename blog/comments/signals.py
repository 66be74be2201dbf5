"""What other apps hear about comments: whether a save changed what readers see."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import Comment


@receiver(pre_save, sender=Comment)
def remember_status(sender, instance, **kwargs):
    """Keep the stored status on the instance, so receivers of post_save know whether visibility changed."""
    instance.previous_status = (
        Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first() if instance.pk else None
    )
