from django import template

register = template.Library()


@register.filter
def disclosures(links):
    """Each program's disclosure wording once, in the order the links appear."""
    return list(dict.fromkeys(link.program.disclosure for link in links))


@register.simple_tag
def disclosure_text(site_disclosure, links):
    """The site's own disclosure, then each program's wording once: one sentence after another."""
    return " ".join(text for text in [site_disclosure, *disclosures(links)] if text)
