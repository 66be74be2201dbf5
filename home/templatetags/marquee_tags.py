from dataclasses import dataclass

from django import template
from wagtail.models import Site

from blog.models import star_label
from core import structured_data
from core.pages import page_url
from core.seo import SOCIAL_IMAGE_SPEC

register = template.Library()


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str


@register.inclusion_tag("includes/stars.html")
def stars(rating, size="normal"):
    """The critic's rating as five stars with a text equivalent.

    Screen readers hear the label ("4.5 out of 5 stars"); the stars themselves
    are hidden from them.
    """
    return {
        "rating": rating,
        "half_stars": int(rating * 2) if rating is not None else None,
        "label": star_label(rating),
        "size": size,
    }


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


@register.inclusion_tag("includes/head_meta.html", takes_context=True)
def head_meta(context):
    """Description, canonical link, share cards and JSON-LD for the page being rendered.

    Wagtail pages describe themselves (`get_meta_description`, `get_social_image`,
    `get_structured_data`); other views may put `meta_title`, `meta_description`
    and `breadcrumbs` in their context.
    """
    from home.models import SiteSettings

    request = context.get("request")
    page = context.get("page")
    site = Site.find_for_request(request) if request else None
    site_name = (site.site_name if site else "") or "Marquee"
    site_settings = SiteSettings.for_request(request) if request else None

    if page is not None:
        title = page.seo_title or getattr(page, "share_title", "") or page.title
        describe = getattr(page, "get_meta_description", None)
        description = describe() if describe else page.search_description
        canonical = page.get_full_url(request)
    else:
        title = context.get("meta_title") or site_name
        description = context.get("meta_description", "")
        canonical = structured_data.absolute(request, request.path) if request else ""
    listing = context.get("reviews") or context.get("results")
    number = getattr(listing, "number", 1)
    if canonical and isinstance(number, int) and number > 1:
        canonical += f"?page={number}"

    image = page.get_social_image() if hasattr(page, "get_social_image") else None
    if image is None and site_settings is not None:
        image = site_settings.default_social_image
    card = image.get_rendition(SOCIAL_IMAGE_SPEC) if image else None
    card_url = structured_data.absolute(request, card.url) if card else ""
    social_text = page.get_social_text() if hasattr(page, "get_social_text") else description

    graph = []
    if page is not None and site is not None and page.pk == site.root_page_id:
        graph.append(structured_data.website(request, site_name))
    if context.get("breadcrumbs"):
        graph.append(structured_data.breadcrumb_list(request, context["breadcrumbs"]))
    if hasattr(page, "get_structured_data"):
        hero = page.hero if hasattr(page, "hero") else getattr(page, "hero_image", None)
        if hero is None:
            film_image = ""
        elif hero == image:
            film_image = card_url
        else:
            film_image = structured_data.absolute(request, hero.get_rendition(SOCIAL_IMAGE_SPEC).url)
        graph.append(page.get_structured_data(request, context, site_name=site_name, image_url=film_image))

    return {
        "title": title,
        "description": description,
        "social_text": social_text or description,
        "canonical": canonical,
        "site_name": site_name,
        "og_type": "article" if hasattr(page, "get_structured_data") else "website",
        "published": getattr(page, "first_published_at", None) if hasattr(page, "get_structured_data") else None,
        "card": card,
        "card_url": card_url,
        "card_alt": (image.default_alt_text or image.title) if image else "",
        "json_ld": [structured_data.json_ld(item) for item in graph],
    }
