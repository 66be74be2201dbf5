"""What a review's "Where to watch" box shows: its active links and the site's disclosure."""

from django.db.models import Subquery
from wagtail.models import Site

from .models import AffiliateSettings


def where_to_watch(review, request):
    """The review's links to active programs, with Settings → Affiliate disclosure, in one query.

    The disclosure rides along with the links (a subquery), so a review with
    links costs no more queries than one without. A preview reads the editor's
    unsaved links from the form instead, and the disclosure on its own.
    """
    if getattr(request, "is_preview", False) or review.pk is None:
        links = [item.link for item in review.affiliate_links.filter(link__program__is_active=True)]
        disclosure = AffiliateSettings.for_request(request).disclosure if links else ""
        return {"affiliate_links": links, "affiliate_disclosure": disclosure}
    site = Site.find_for_request(request)
    disclosure = AffiliateSettings.objects.filter(site=site).values("disclosure")[:1]
    items = list(
        review.affiliate_links.select_related("link__program")
        .filter(link__program__is_active=True)
        .annotate(site_disclosure=Subquery(disclosure))
    )
    return {
        "affiliate_links": [item.link for item in items],
        "affiliate_disclosure": (items[0].site_disclosure or "") if items else "",
    }
