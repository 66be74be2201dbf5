from django.core.paginator import Paginator


def paginate(request, queryset, per_page, param="page"):
    """Return the requested page of ``queryset``; never raises for bad input.

    Junk (``?page=abc``) and numbers below one give the first page; numbers
    past the end give the last page, so a stale or mistyped link still shows
    reviews instead of an error.
    """
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get(param, "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    number = max(1, min(number, paginator.num_pages))
    return paginator.page(number)


NEWEST_FIRST = ("-first_published_at", "-pk")


def paginate_reviews(request, reviews, per_page, ordering=NEWEST_FIRST, param="page"):
    """A page of review cards that costs the same on page 1 and page 2,000.

    The database pages through bare ids (a narrow, index-friendly OFFSET), and
    only the page's own reviews are then loaded with everything a card shows.
    """
    page = paginate(request, reviews.order_by(*ordering).values_list("pk", flat=True), per_page, param)
    page.object_list = review_cards(reviews.model, list(page.object_list))
    return page


def paginate_ids(request, model, ids, per_page, param="page"):
    """A page of ``model``'s cards from ids already in order: a list (search hits) or an ids queryset."""
    page = paginate(request, ids, per_page, param)
    page.object_list = review_cards(model, list(page.object_list))
    return page


def review_cards(model, ids):
    """The reviews ``ids``, in that order, with everything a card shows."""
    cards = {review.pk: review for review in model.objects.filter(pk__in=ids).for_listing()}
    return [cards[pk] for pk in ids if pk in cards]
