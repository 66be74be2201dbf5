"""Page addresses relative to the request's own site, without the query Wagtail's URL lookup makes.

Wagtail's ``get_url`` looks up every site's root path (a query per request when
the cache is cold); a page below the request's site root needs only that site.
"""

from django.http import HttpRequest
from django.urls import reverse
from wagtail.models import Site


def url_parts_on_request_site(page, request):
    """``(site_id, root_url, path)`` of any page below the root of the request's site, else None."""
    if not isinstance(request, HttpRequest):
        return None
    site = Site.find_for_request(request)
    if site is None or not page.url_path.startswith(site.root_page.url_path):
        return None
    return site.pk, site.root_url, reverse("wagtail_serve", args=(page.url_path[len(site.root_page.url_path) :],))


def page_url(page, request):
    """The page's address as ``{% pageurl %}`` gives it, for plain ``Page`` instances too (routing's trail)."""
    parts = url_parts_on_request_site(page, request)
    return parts[2] if parts else page.get_url(request)
