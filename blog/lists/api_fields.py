"""The list's entries in the read API: rank, film, note, and the review (None once it is not published)."""

from rest_framework.fields import Field


class EntriesField(Field):
    """``[{"rank", "tied", "title", "year", "director", "note", "review": {"id", "url", "rating"} | None}]``."""

    def to_representation(self, page):
        request = self.context.get("request")
        return [
            {
                "rank": shown.rank,
                "tied": shown.tied,
                "title": shown.title,
                "year": shown.year,
                "director": shown.director,
                "note": shown.entry.note,
                "review": {
                    "id": shown.review.pk,
                    "url": shown.review.get_full_url(request),
                    "rating": float(shown.review.rating) if shown.review.rating is not None else None,
                }
                if shown.review
                else None,
            }
            for shown in page.shown_entries()
        ]
