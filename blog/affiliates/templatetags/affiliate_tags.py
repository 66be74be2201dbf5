from django import template

register = template.Library()


@register.filter
def disclosures(links):
    """Each program's disclosure wording once, in the order the links appear."""
    return list(dict.fromkeys(link.program.disclosure for link in links))
