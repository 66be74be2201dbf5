"""Tags for showing reviews: the critic's stars."""

from django import template

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
