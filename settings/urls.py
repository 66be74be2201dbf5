from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from blog import feeds
from blog.api import CheckedImagesAPIViewSet, CheckedPagesAPIViewSet, ReviewsAPIViewSet
from blog.lists import feeds as list_feeds
from blog.lists.api import ListsAPIViewSet
from home import views as home_views
from search import views as search_views

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("reviews", ReviewsAPIViewSet)
api_router.register_endpoint("lists", ListsAPIViewSet)
api_router.register_endpoint("pages", CheckedPagesAPIViewSet)
api_router.register_endpoint("images", CheckedImagesAPIViewSet)

urlpatterns = [
    # Ahead of Wagtail's own route, which takes <int:revision_id> and then treats
    # 0 as "no revision" (a 500): there is no revision 0 to revert to.
    re_path(r"^admin/pages/(?P<page_id>\d+)/revisions/0+/revert/$", home_views.no_such_revision, name="no_revision_0"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("ratings/", include("blog.ratings.urls")),
    path("go/", include("blog.affiliates.urls")),
    path("comments/", include("blog.comments.urls")),
    path("", include("blog.urls")),
    path("feeds/rss/", list_feeds.LatestFeed(), name="feed_rss"),
    path("feeds/atom/", list_feeds.LatestAtomFeed(), name="feed_atom"),
    path("feeds/genre/<slug:slug>/rss/", feeds.GenreFeed(), name="genre_feed_rss"),
    path("feeds/genre/<slug:slug>/atom/", feeds.GenreAtomFeed(), name="genre_feed_atom"),
    path("feeds/critic/<slug:slug>/rss/", feeds.CriticFeed(), name="critic_feed_rss"),
    path("feeds/critic/<slug:slug>/atom/", feeds.CriticAtomFeed(), name="critic_feed_atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("favicon.ico", home_views.favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    # Uploaded images and documents for single-server installs; large sites
    # point MEDIA_URL at object storage or a web server instead.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            home_views.serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [
    # Wagtail serves every other URL from the page tree; keep this last.
    path("", include(wagtail_urls)),
]
