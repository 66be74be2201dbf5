"""Old WordPress shortlinks (`/?p=123`, `/?page_id=45`) keep working after an import.

Wagtail's redirects only answer addresses that would otherwise be a 404, but
these land on the home page; so the home page looks them up first.
"""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

SHORTLINK_PARAMETERS = {"p", "page_id"}


@hooks.register("before_serve_page")
def follow_wordpress_shortlinks(page, request, serve_args, serve_kwargs):
    if request.method != "GET" or not SHORTLINK_PARAMETERS & request.GET.keys():
        return None
    site = Site.find_for_request(request)
    if site is None or page.pk != site.root_page_id:
        return None
    old_path = Redirect.normalise_path(request.get_full_path())
    redirect = Redirect.get_for_site(site).filter(old_path=old_path).first()
    if redirect is None or not redirect.link:
        return None
    response = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
    return response(redirect.link)
