"""``{% role_picture image "hero" %}``: Wagtail's ``{% picture %}`` with the site's renditions for each use.

The renditions and ``<img>`` attributes of a review's hero, a body image and a
listing card are named once here, so templates stay short and every use of a
kind of picture is the same. The tag asks Wagtail for the renditions exactly as
``{% picture %}`` does (prefetched renditions are used, missing ones made).
"""

from django import template
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

register = template.Library()

FORMATS = "format-{avif,webp,jpeg}"

#: role → (filter specs, <img> attributes)
PICTURES = {
    "hero": (
        f"{FORMATS} width-{{480,800,1200}}",
        {"sizes": "(min-width: 60rem) 56rem, 100vw", "fetchpriority": "high", "decoding": "async"},
    ),
    "body": (
        f"{FORMATS} width-{{480,800,1200}}",
        {"sizes": "(min-width: 50rem) 45rem, 100vw", "loading": "lazy", "decoding": "async"},
    ),
    "card": (
        f"{FORMATS} fill-{{480x270,960x540}}",
        {"sizes": "(min-width: 50rem) 18rem, 100vw", "loading": "lazy", "decoding": "async"},
    ),
    # A film's poster in a ranked list: 2:3, as posters (and Google's movie carousel) are.
    "poster": (
        f"{FORMATS} fill-{{160x240,320x480}}",
        {"sizes": "10rem", "loading": "lazy", "decoding": "async"},
    ),
}

#: role → its Filters, made once: a Filter parses its spec into operations the first time it is used, which
#: costs more than finding a prefetched rendition; a Filter holds nothing of the image it is applied to.
FILTERS = {role: [Filter(spec=spec) for spec in Filter.expand_spec(specs)] for role, (specs, _) in PICTURES.items()}


@register.simple_tag
def role_picture(image, role, **attrs):
    """The ``<picture>`` for ``image`` in ``role``; keyword arguments override its attributes."""
    if not image:
        return ""
    renditions = get_renditions_or_not_found(image, FILTERS[role])
    return Picture(renditions, {**PICTURES[role][1], **attrs})
