"""Wagtail's page routing, remembered per generation (home/pagecache.py).

Serving a review otherwise costs a query per level of the page tree, another
for the page's own type, and two for the view restrictions of its ancestors;
the answer only changes when pages, sites or restrictions change, and each of
those starts a new generation. The page instance itself is remembered (a few
kilobytes), so a remembered route costs one cache read and no query.
"""

from wagtail.models import PageViewRestriction
from wagtail.url_routing import RouteResult


class RememberedRoutesMixin:
    """For the site's root page: routes to plain pages below it are remembered."""

    def route(self, request, path_components):
        from home.pagecache import recall, remember

        if not path_components:
            return super().route(request, path_components)
        parts = (self.pk, tuple(path_components))
        page = recall(request, "route", parts)
        # (Checked: a deploy may find values an older release remembered.)
        if isinstance(page, RememberedRestrictionsMixin) and page.live:
            return RouteResult(page)
        result = super().route(request, path_components)
        if not result.args and not result.kwargs and isinstance(result.page, RememberedRestrictionsMixin):
            page = result.page
            page.__dict__.pop("_cached_parent_obj", None)
            page.remembered_view_restrictions = list(page.get_view_restrictions())
            remember(request, "route", parts, page)
        return result


class RememberedRestrictionsMixin:
    """Pages whose view restrictions can travel with a remembered route."""

    remembered_view_restrictions = None

    def get_view_restrictions(self):
        if self.remembered_view_restrictions is None:
            return super().get_view_restrictions()
        # Still a queryset of the same rows (the admin chains on it), already evaluated.
        restrictions = PageViewRestriction.objects.filter(pk__in=[r.pk for r in self.remembered_view_restrictions])
        restrictions._result_cache = list(self.remembered_view_restrictions)
        restrictions._prefetch_done = True
        return restrictions
