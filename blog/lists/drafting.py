"""Lists drafted from the admin: reviews added to a list's draft, and a year-end list filled from the ratings.

Both save a new draft revision: nothing goes public until an editor has
ordered, annotated and published the list.
"""

from django.db.models import F

from blog.imports.pages import unique_slug
from blog.models import ReviewPage

from .models import ListEntry, ListPage, lists_section


def new_list(title, user):
    """A new, unpublished list in the Lists section, with an address no other list there has."""
    section = lists_section()
    slug = unique_slug(section, title)
    return section.add_child(instance=ListPage(title=title, slug=slug, live=False, owner=user))


def add_reviews(list_page, review_ids, user):
    """Append the reviews not on the list yet to the end of its latest draft, in the order given; how many."""
    draft = list_page.get_latest_revision_as_object()
    entries = sorted(draft.entries.all(), key=lambda entry: entry.sort_order or 0)
    present = {entry.review_id for entry in entries}
    found = {review.pk: review for review in ReviewPage.objects.filter(pk__in=review_ids).for_listing()}
    added = [found[pk] for pk in dict.fromkeys(review_ids) if pk in found and pk not in present]
    for place, review in enumerate(added, start=len(entries)):
        entry = ListEntry(review=review, sort_order=place)
        entry.keep_details_of(review)
        draft.entries.add(entry)
    draft.save_revision(user=user, log_action=True)
    return len(added)


def year_end_reviews(year, size):
    """Ids of the best-rated published reviews of the year's films, best first (the newer review first on a tie)."""
    best = ReviewPage.objects.live().public().filter(release_year=year, rating__isnull=False)
    return list(best.order_by(F("rating").desc(), "-first_published_at", "-pk").values_list("pk", flat=True)[:size])


def draft_year_end_list(year, size, user):
    """A new draft "Best of <year>" filled with the year's best-rated reviews, or None when there are none."""
    reviews = year_end_reviews(year, size)
    if not reviews:
        return None
    list_page = new_list(f"Best of {year}", user)
    add_reviews(list_page, reviews, user)
    return list_page
