"""Tags for showing reviews: the critic's stars, the byline."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from blog.models import byline_text, star_label

register = template.Library()


#: Five stars drawn twice: the grey track and, clipped to the rating by CSS, the gold fill.
STAR_ROWS = mark_safe(
    '<span class="stars__track" aria-hidden="true">★★★★★</span>'
    '<span class="stars__fill" aria-hidden="true">★★★★★</span>'
)


@register.simple_tag
def stars(rating, size="normal"):
    """The critic's rating as five stars with a text equivalent.

    Screen readers hear the label ("4.5 out of 5 stars"); the stars themselves
    are hidden from them. Built here rather than from a template: listings show
    one per card, and an included template costs several times as much.
    """
    if rating is None:
        return format_html('<span class="stars stars--none">{}</span>', star_label(rating))
    small = " stars--small" if size == "small" else ""
    return format_html(
        '<span class="stars stars--{}{}" role="img" aria-label="{}">{}</span>',
        int(rating * 2),
        small,
        star_label(rating),
        STAR_ROWS,
    )


@register.simple_tag
def byline(critics):
    """The critics, each linked to their page: "Ann Lee", "Ann Lee and Bo Chen", "A, B and C".

    ``critics`` are Critic records (a review page) or {"name", "slug"} (a card's ``critic_bylines``).
    """
    links = []
    for critic in critics:
        name, slug = (critic["name"], critic["slug"]) if isinstance(critic, dict) else (critic.name, critic.slug)
        links.append(format_html('<a href="{}" rel="author">{}</a>', reverse("browse:critic", args=[slug]), name))
    # Each link is escaped above; the joining words are get_text_list's own.
    return mark_safe(get_text_list(links, _("and")))  # noqa: S308


register.filter("critic_names", byline_text)
