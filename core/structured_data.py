"""schema.org JSON-LD for search engines: the writer, the website's search box, breadcrumbs.

Page types describe themselves (reviews in ``blog.structured_data``) and
``{% head_meta %}`` writes what they return with ``json_ld``.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from wagtail.models import Site

SCHEMA = "https://schema.org"

# The characters that could end the <script> element or start an HTML comment
# are written as JSON escapes; the parsed JSON is unchanged.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data):
    """A `<script type="application/ld+json">` element that is safe whatever the data holds."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(f'<script type="application/ld+json">{text.translate(_SCRIPT_ESCAPES)}</script>')  # noqa: S308


def site_root(request):
    """The site's own address (Settings → Sites), as canonical links use."""
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        return site.root_url
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def absolute(request, url):
    if not url or url.startswith(("http://", "https://")):
        return url
    return site_root(request) + url


def website(request, site_name):
    root = site_root(request)
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": site_name,
        "url": root + "/",
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": root + "/search/?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumb_list(request, crumbs):
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": str(crumb.name), "item": absolute(request, crumb.url)}
            for n, crumb in enumerate(crumbs, start=1)
        ],
    }
