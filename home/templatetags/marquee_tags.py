from django import template
from wagtail.models import Site

from blog.models import star_label

register = template.Library()


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
    """Pages under the home page that editors ticked "Show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().only("id", "title", "url_path"))
