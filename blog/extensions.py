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
``REVIEW_FACTS_HOOK``
    ``fn(review, restricted_paths) -> ReviewFacts``: rows the review page reads in
    its one fact-box query (``ReviewPage.film_facts``), a UNION of parts made by
    ``fact_rows``, each row's ``kind`` naming its part; ``read(rows)`` turns that
    part's rows into template context (lists: "On these lists").
``REVIEW_READER_DATA_HOOK``
    ``fn(review_ids) -> str | None``: what readers left on those reviews that
    deleting them deletes too, as a phrase ("12 reader votes"), or None for
    nothing. The admin names it before a review is deleted.
"""

from dataclasses import dataclass

from django.db.models import Value
from wagtail import hooks

REVIEW_CONTEXT_HOOK = "marquee_review_context"
REVIEW_CARD_ANNOTATIONS_HOOK = "marquee_review_card_annotations"
REVIEW_READER_DATA_HOOK = "marquee_review_reader_data"
REVIEW_FACTS_HOOK = "marquee_review_facts"


def fact_rows(rows, kind, *, order="sort_order", ref, name, slug, role=None, **extra):
    """``rows`` (a queryset) as one part of the fact-box query: every part gives the same six columns.

    They are ``kind`` (naming the part), the column ``order`` names (an
    Orderable's ``sort_order``, or one of ``extra``'s annotations), and the
    expressions ``ref``, ``name``, ``slug`` and ``role`` (empty unless given).
    """
    return (
        rows.order_by()
        .annotate(kind=Value(kind), ref=ref, name=name, slug=slug, role=Value("") if role is None else role, **extra)
        .values_list("kind", order, "ref", "name", "slug", "role")
    )


@dataclass
class ReviewFacts:
    """One app's part of the fact-box query: its rows (``kind`` first) and what they become in the context."""

    kind: str
    rows: object  # a queryset made by fact_rows
    read: object  # fn(rows) -> dict for the template context


def review_facts(review, restricted_paths):
    return [contribute(review, restricted_paths) for contribute in hooks.get_hooks(REVIEW_FACTS_HOOK)]


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
