"""schema.org JSON-LD for a list page: the ``ItemList`` Google's movie carousel reads.

Google's rules for a carousel's summary page
(https://developers.google.com/search/docs/appearance/structured-data/carousel):
``ListItem``s with consecutive ``position``s from 1 and the ``url`` of each item's
page, all on the same site; each of those pages carries its own ``Movie``
markup (the review's). A list of fewer than two such pages is no carousel.
"""

from core.structured_data import SCHEMA, absolute

MIN_ITEMS = 2


def item_list(page, request, entries):
    """The list's reviewed films in the page's order, or None when fewer than two have a live review here."""
    reviewed = [shown.review for shown in entries if shown.review is not None]
    if len(reviewed) < MIN_ITEMS:
        return None
    return {
        "@context": SCHEMA,
        "@type": "ItemList",
        "name": page.title,
        "url": page.get_full_url(request),
        "numberOfItems": len(reviewed),
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": absolute(request, review.get_url(request))}
            for position, review in enumerate(reviewed, start=1)
        ],
    }
