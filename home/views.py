"""Small site-wide views: uploaded media for single-server installs, the favicon, a 404 Wagtail lacks."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.views.static import serve

# Renditions are named after the image, the filter and the focal point, so a
# changed crop gets a new address: they can be cached for a year. Originals
# for a day, in case an editor replaces an image's file.
RENDITION_MAX_AGE = 365 * 24 * 3600
ORIGINAL_MAX_AGE = 24 * 3600


def no_such_revision(request, page_id):
    """Wagtail's "revert to revision 0" is a 500 (it reads the id as a flag); no revision has id 0."""
    raise Http404("No such revision")


def serve_media(request, path, document_root):
    try:
        response = serve(request, path, document_root=document_root)
    except OSError as error:  # a name the filesystem refuses (too long, say): no such file
        raise Http404("No such file") from error
    if path.startswith("images/"):
        patch_cache_control(response, public=True, max_age=RENDITION_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=ORIGINAL_MAX_AGE)
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.svg"))
