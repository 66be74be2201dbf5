"""The tags every page's frame uses: the head's meta tags and JSON-LD, the main menu."""

from dataclasses import dataclass

from django import template
from wagtail.models import Site

from core import structured_data
from core.models import SiteIdentity
from core.page_urls import page_url
from core.seo import SOCIAL_IMAGE

register = template.Library()


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str


@register.simple_tag(takes_context=True)
def page_title(context):
    """The page's title for the browser tab: the editor's SEO title, else the page's share title."""
    page = context.get("page")
    return (page.seo_title or page.share_title) if page is not None else ""


def name_of(site):
    """The site's name (Settings → Sites), "Marquee" if it has none."""
    return (site.site_name if site else "") or "Marquee"


@register.simple_tag(takes_context=True, name="site_name")
def site_name_tag(context):
    request = context.get("request")
    return name_of(Site.find_for_request(request) if request else None)


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Pages under the home page that editors ticked "Show in menus", as ``MenuItem``s.

    The addresses come from ``page_url``: the children are plain ``Page``
    instances, and ``{% pageurl %}`` on them would look up every site's root
    path (a query per request with no cache).
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    children = site.root_page.get_children().live().in_menu().only("id", "title", "url_path")
    return [MenuItem(pk=child.pk, title=child.title, url=page_url(child, request)) for child in children]


def rendition_url(request, image):
    return structured_data.absolute(request, image.get_rendition(SOCIAL_IMAGE).url) if image else ""


@register.inclusion_tag("includes/head_meta.html", takes_context=True)
def head_meta(context):
    """Description, canonical link, share cards and JSON-LD for the page being rendered.

    A Wagtail page answers for itself (``BasePage``: description, share title,
    text and image, main image, structured data); other views put
    ``meta_title``, ``meta_description``, ``breadcrumbs`` and optionally
    ``meta_image`` and ``structured_data`` in their context.
    """
    request = context.get("request")
    page = context.get("page")
    site = Site.find_for_request(request) if request else None
    site_name = name_of(site)

    if page is not None:
        title = page.seo_title or page.share_title
        description = page.get_meta_description()
        social_text = page.get_social_text()
        canonical = page.get_full_url(request)
        image = page.get_social_image()
    else:
        title = context.get("meta_title") or site_name
        description = social_text = context.get("meta_description", "")
        canonical = structured_data.absolute(request, request.path) if request else ""
        image = context.get("meta_image")
    listing = context.get("reviews") or context.get("results")
    number = getattr(listing, "number", 1)  # a paginator's page, or the search's results (None without a query)
    if canonical and isinstance(number, int) and number > 1:
        canonical += f"?page={number}"

    if image is None and request is not None:
        image = SiteIdentity.for_request(request).default_social_image
    card = image.get_rendition(SOCIAL_IMAGE) if image else None
    card_url = structured_data.absolute(request, card.url) if card else ""

    graph = []
    if page is not None and site is not None and page.pk == site.root_page_id:
        graph.append(structured_data.website(request, site_name))
    if context.get("breadcrumbs"):
        graph.append(structured_data.breadcrumb_list(request, context["breadcrumbs"]))
    if page is not None:
        film_image = card_url if page.hero == image else rendition_url(request, page.hero)
        own = page.get_structured_data(request, context, site_name=site_name, image_url=film_image)
        if own is not None:
            graph.append(own)
    elif context.get("structured_data"):
        graph.append(context["structured_data"])

    article = page is not None and page.og_type == "article"
    return {
        "title": title,
        "description": description,
        "social_text": social_text or description,
        "canonical": canonical,
        "site_name": site_name,
        "og_type": page.og_type if page is not None else "website",
        "published": page.first_published_at if article else None,
        "card": card,
        "card_url": card_url,
        "card_alt": (image.default_alt_text or image.title) if image else "",
        "json_ld": [structured_data.json_ld(item) for item in graph],
    }
