"""Where blog's own apps (ratings, comments, affiliates) plug into reviews.

Those apps build on ``blog.models``; the review page must not import them back.
Each contributes through a Wagtail hook of one of these names, registered in its
``wagtail_hooks.py``:

``REVIEW_CONTEXT_HOOK``
    ``fn(review, request) -> dict``, merged into the review page's template context
    (comments: the threads and the form; ratings: the readers' totals and the form;
    affiliates: the Where to watch links and the disclosure).
``REVIEW_CARD_ANNOTATIONS_HOOK``
    ``fn() -> dict`` of annotations for every review in a listing card, each a
    correlated subquery on ``OuterRef("pk")`` (comments: ``approved_comment_count``).
``REVIEW_READER_DATA_HOOK``
    ``fn(review_ids) -> str | None``: what readers left on those reviews that
    deleting them deletes too, as a phrase ("12 reader votes"), or None for
    nothing. The admin names it before a review is deleted.
"""

from wagtail import hooks

REVIEW_CONTEXT_HOOK = "marquee_review_context"
REVIEW_CARD_ANNOTATIONS_HOOK = "marquee_review_card_annotations"
REVIEW_READER_DATA_HOOK = "marquee_review_reader_data"


def review_context(review, request):
    context = {}
    for contribute in hooks.get_hooks(REVIEW_CONTEXT_HOOK):
        context.update(contribute(review, request))
    return context


def review_card_annotations():
    annotations = {}
    for contribute in hooks.get_hooks(REVIEW_CARD_ANNOTATIONS_HOOK):
        annotations.update(contribute())
    return annotations


def reader_data_on(review_ids):
    """["12 reader votes", "3 comments"]: what readers left on these reviews."""
    return [phrase for describe in hooks.get_hooks(REVIEW_READER_DATA_HOOK) if (phrase := describe(review_ids))]
