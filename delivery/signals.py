"""Every change readers can see, turned into a purge (``delivery.invalidation`` says of what).

Connected in ``DeliveryConfig.ready``. A change that alters which pages show
something (a review's genres, a person's slug) is purged twice over: the pages
that showed it before the save, worked out before it, and the pages that
show it after, worked out once the transaction commits.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from blog.affiliates.models import AffiliateLink, AffiliateProgram
from blog.comments.models import Comment
from blog.models import Critic, Genre, Person
from blog.ratings.events import reader_totals_changed

from .purging import purge, purge_now_and_after_commit

# Saves that only record a draft, a lock or a revision pointer change nothing readers see.
DRAFT_ONLY_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
    "live_revision",
}
# Wagtail fills these in on an image's first use: nothing a reader sees changes.
IMAGE_BOOKKEEPING_FIELDS = {"file_size", "file_hash"}


def only(update_fields, fields):
    return bool(update_fields) and set(update_fields) <= fields


def stored(instance):
    """The instance as the database has it, before this save."""
    return type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None


def reload(instance):
    return lambda: type(instance).objects.filter(pk=instance.pk).first()


def live_page(page):
    """The page as readers see it now, as its own type, or None."""
    return Page.objects.live().filter(pk=page.pk).specific().first()


# -- pages -----------------------------------------------------------------


def page_saving(sender, instance, update_fields=None, **kwargs):
    """Every publish, unpublish and edit of a live page saves it: the pages showing it before, and after.

    (A draft only records its revision: nothing to purge. Publishing, by hand
    or on schedule, and unpublishing both save the page itself.)
    """
    if not isinstance(instance, Page) or only(update_fields, DRAFT_ONLY_FIELDS) or instance.pk is None:
        return
    purge_now_and_after_commit("page", live_page(instance), lambda: live_page(instance))


def page_deleting(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        purge("page", instance.specific)


def page_moved(sender, **kwargs):
    purge("everything", None)


# -- what pages show -------------------------------------------------------


def person_saving(sender, instance, **kwargs):
    before = stored(instance)
    if before is not None:
        purge_now_and_after_commit("person", before, reload(instance))


def critic_saving(sender, instance, **kwargs):
    before = stored(instance)
    if before is not None:
        purge_now_and_after_commit("critic", before, reload(instance))


def tag_saving(sender, instance, **kwargs):
    before = stored(instance)
    if before is not None:
        purge_now_and_after_commit("tag", before, reload(instance))


def image_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if not created and not only(update_fields, IMAGE_BOOKKEEPING_FIELDS):
        purge("image", instance)


def deleted(kind):
    def receiver(sender, instance, **kwargs):
        purge(kind, instance)

    return receiver


def saved(kind):
    def receiver(sender, instance, **kwargs):
        purge(kind, instance)

    return receiver


def everything(sender, **kwargs):
    purge("everything", None)


def everything_unless_new(sender, created=False, **kwargs):
    # A new genre is on no review yet; settings created with their defaults on first use change nothing.
    if not created:
        purge("everything", None)


def comment_saved(sender, instance, **kwargs):
    was_visible = getattr(instance, "previous_status", None) == Comment.Status.APPROVED
    if was_visible or instance.is_approved:
        purge("comment", instance.review_id)


def comment_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a review takes its comments with it; the review's own purge covers that.
    if instance.is_approved and not isinstance(origin, Page):
        purge("comment", instance.review_id)


def totals_changed(sender, review_id, **kwargs):
    purge("votes", review_id)


def connect():
    uid = "delivery.{}".format
    pre_save.connect(page_saving, dispatch_uid=uid("page_saving"))
    pre_delete.connect(page_deleting, dispatch_uid=uid("page_deleting"))
    post_page_move.connect(page_moved, dispatch_uid=uid("moved"))

    pre_save.connect(person_saving, sender=Person, dispatch_uid=uid("person"))
    post_delete.connect(deleted("person"), sender=Person, weak=False, dispatch_uid=uid("person_deleted"))
    pre_save.connect(critic_saving, sender=Critic, dispatch_uid=uid("critic"))
    pre_delete.connect(deleted("critic"), sender=Critic, weak=False, dispatch_uid=uid("critic_deleted"))
    pre_save.connect(tag_saving, sender=Tag, dispatch_uid=uid("tag"))
    pre_delete.connect(deleted("tag"), sender=Tag, weak=False, dispatch_uid=uid("tag_deleted"))
    for model in (AffiliateProgram, AffiliateLink):
        kind = "affiliate_program" if model is AffiliateProgram else "affiliate_link"
        post_save.connect(saved(kind), sender=model, weak=False, dispatch_uid=uid(f"{kind}_saved"))
        pre_delete.connect(deleted(kind), sender=model, weak=False, dispatch_uid=uid(f"{kind}_deleted"))
    for model in (Redirect,):
        post_save.connect(saved("redirect"), sender=model, weak=False, dispatch_uid=uid("redirect_saved"))
        post_delete.connect(deleted("redirect"), sender=model, weak=False, dispatch_uid=uid("redirect_deleted"))
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=uid("comment_saved"))
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=uid("comment_deleted"))
    reader_totals_changed.connect(totals_changed, dispatch_uid=uid("votes"))

    def any_subclass(signal, receiver, base, name):
        def dispatch(sender, **kwargs):
            if issubclass(sender, base):
                receiver(sender, **kwargs)

        signal.connect(dispatch, weak=False, dispatch_uid=uid(name))

    any_subclass(post_save, image_saved, AbstractImage, "image_saved")
    any_subclass(pre_delete, deleted("image"), AbstractImage, "image_deleted")
    for signal, name, receiver in ((post_save, "saved", everything_unless_new), (post_delete, "deleted", everything)):
        any_subclass(signal, receiver, BaseSiteSetting, f"settings_{name}")
        any_subclass(signal, receiver, Site, f"site_{name}")
        any_subclass(signal, receiver, Genre, f"genre_{name}")
        # A page made private, or public again, changes what every listing shows.
        any_subclass(signal, everything, PageViewRestriction, f"restriction_{name}")
