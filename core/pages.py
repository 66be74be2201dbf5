"""The base of every Marquee page type: routing, URLs and view restrictions in a fixed, small number of queries.

Wagtail's defaults are correct but chatty: routing costs two queries per level
of the page tree, each URL asks for the site root paths (a query whenever the
cache is cold), and view restrictions cost two queries per page plus one more
per ``public()`` listing. A full render of a review paid for all of them. The
overrides here use only Wagtail's documented extension points (``route``,
``get_url_parts``, ``get_view_restrictions``, custom querysets) and give the
same answers.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from .page_urls import url_parts_on_request_site
from .permissions import ModeratedPageDeletion
from .seo import BreadcrumbsMixin, SocialMetaMixin, describe


def restrictions_above():
    """The view restrictions on the outer query's page or an ancestor (for EXISTS).

    A restriction applies to its page and every page whose tree path starts with that page's.
    """
    return PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))


def restricted_paths():
    """The tree paths of the pages that carry a view restriction: few or none, in one small query."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())


class BasePageQuerySet(PageQuerySet):
    def public(self, restricted_paths=None):
        """Pages with no view restriction on themselves or an ancestor.

        Given the site's ``restricted_paths`` (a page read them once for its
        request), the filter is a plain path test, and none at all on a site
        without private pages. Without them a correlated NOT EXISTS asks the
        database in the same query, where Wagtail's own ``public()`` would read
        every restriction first (a query each time it is called).
        """
        if restricted_paths is None:
            return self.exclude(Exists(restrictions_above()))
        private = Q()
        for path in restricted_paths:
            private |= Q(path__startswith=path)
        return self.exclude(private) if private else self

    def public_for_search(self):
        """``public()`` in the form search backends can filter on (they cannot translate EXISTS): an id subquery.

        The subquery names the restricted pages, which are few or none, so the
        database keeps a small set to rule out instead of joining every page.
        """
        return self.exclude(pk__in=Page.objects.filter(Exists(restrictions_above())).values("pk"))


BasePageManager = PageManager.from_queryset(BasePageQuerySet)


class BasePage(SocialMetaMixin, BreadcrumbsMixin, Page):
    """Every page type of the site inherits this.

    It routes in a fixed number of queries, carries the share-card fields and
    breadcrumbs, and answers everything ``{% head_meta %}`` asks a page: its
    description, share title, text and image, its main image and its
    structured data. Page types override what they know better.
    """

    #: Relations loaded with the page when it is routed to (``select_related``).
    route_related = ()
    #: The page's main picture (a review's hero): the share card's fallback and the JSON-LD's image.
    hero = None
    #: Open Graph's kind of page ("article" for writing with a publication date).
    og_type = "website"

    promote_panels = Page.promote_panels + SocialMetaMixin.social_panels

    objects = BasePageManager()

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        """Wagtail's page permissions, with deletion kept for those who hold ``DELETE_PAGES`` (Moderators)."""
        return ModeratedPageDeletion(user, self)

    def get_meta_description(self):
        """What search results show under the title."""
        return describe(self.search_description)

    @property
    def share_title(self):
        """The title of the page's share card, unless an editor set an SEO title."""
        return self.title

    def get_social_image(self):
        return self.social_image or self.hero

    def get_social_text(self):
        return self.social_text or self.get_meta_description()

    def get_structured_data(self, request, context, *, site_name, image_url):
        """The page's own schema.org item for the JSON-LD, or None (breadcrumbs are added for every page)."""
        return None

    def route(self, request, path_components):
        """The page at ``path_components`` below this one, found in two queries whatever its depth.

        One query finds the page and the pages between (their titles make the
        breadcrumbs), a second loads it as its own type. Where the path runs
        past the deepest page found (a page with routes of its own), that page
        routes the rest, as Wagtail would.
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = [self.url_path + "/".join(path_components[:n]) + "/" for n in range(1, len(path_components) + 1)]
        trail = list(
            Page.objects.filter(slug__in=path_components, url_path__in=prefixes, path__startswith=self.path)
            .order_by("depth")
            .only("title", "url_path", "path", "depth", "content_type_id", "live")
        )
        # Each level must be the child of the one before (url_path is built from slugs, so it is).
        if not trail or trail[0].url_path != prefixes[0]:
            raise Http404
        trail = [page for n, page in enumerate(trail) if page.url_path == prefixes[n]]
        found = trail[-1]
        model = found.specific_class
        if model is None:
            raise Http404
        page = model.objects.select_related(*getattr(model, "route_related", ())).get(pk=found.pk)
        page.ancestor_pages = [self, *trail[:-1]]
        return page.route(request, path_components[len(trail) :])

    def get_url_parts(self, request=None):
        """Relative to the request's own site when the page is below its root, with no query.

        Wagtail otherwise looks up every site's root path, which costs a query
        per request when the cache is cold.
        """
        return url_parts_on_request_site(self, request) or super().get_url_parts(request)

    def get_url(self, request=None, current_site=None):
        """Relative on the request's own site, without counting the sites (a query) as Wagtail does."""
        parts = url_parts_on_request_site(self, request) if current_site is None else None
        return parts[2] if parts else super().get_url(request, current_site)

    @cached_property
    def restricted_paths(self):
        """The site's restricted pages' paths, read once per page object (that is, per request)."""
        return restricted_paths()

    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors (aliases use their source's).

        On a site without private pages that is known from ``restricted_paths``,
        which the page's listings and related reviews reuse; otherwise one query.
        """
        if not self.restricted_paths:
            return PageViewRestriction.objects.none()
        paths = [self.path[:n] for n in range(self.steplen, len(self.path) + 1, self.steplen)]
        alias_sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__in=alias_sources)
        )

    def get_breadcrumb_pages(self):
        """The ancestors shown in the breadcrumbs (below the tree root): from routing when it found them."""
        ancestors = getattr(self, "ancestor_pages", None)
        if ancestors is None:
            ancestors = list(self.get_ancestors().filter(depth__gt=1).only("title", "url_path", "path", "depth"))
        return [page for page in ancestors if page.depth > 1]
