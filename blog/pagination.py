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
