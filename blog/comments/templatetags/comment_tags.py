from django import template
from django.utils.html import format_html, urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def comment_text(text):
    """Readers' text: escaped, line breaks kept, bare addresses linked with rel="ugc nofollow"."""
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    linked = linked.replace('rel="nofollow"', 'rel="ugc nofollow noopener"')
    return mark_safe(linked.replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308 (escaped by urlize)


@register.filter
def author(comment):
    """The commenter's name, linked to the website they gave (marked as user content) if any."""
    if comment.website:
        return format_html('<a href="{}" rel="ugc nofollow noopener">{}</a>', comment.website, comment.name)
    return comment.name
