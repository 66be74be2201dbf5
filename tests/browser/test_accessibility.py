"""Every public page passes axe-core's automated accessibility checks in Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from blog.affiliates.models import ReviewAffiliateLink
from home.models import SiteSettings
from tests.factories import (
    AffiliateLinkFactory,
    CommentFactory,
    ContentPageFactory,
    ImageFactory,
    ReviewIndexPageFactory,
    ReviewPageFactory,
    site_home,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_site():
    home = site_home()
    settings = SiteSettings.for_site(home.get_site())
    settings.tagline = "Film reviews"
    settings.copyright_holder = "Morgan Reed"
    settings.social_links = [("link", {"platform": "letterboxd", "url": "https://letterboxd.com/", "label": ""})]
    settings.save()
    index = ReviewIndexPageFactory(parent=home, show_in_menus=True)
    still = ImageFactory()
    review = ReviewPageFactory(
        parent=index,
        title="Dear Comrades!",
        directors=["Andrey Konchalovsky"],
        cast=[("Julia Vysotskaya", "Lyuda")],
        genres=["Drama"],
        body=[
            ("paragraph", "<p>The strike begins on a hot morning.</p>"),
            ("heading", {"text": "The square", "level": "h2"}),
            ("image", {"image": {"image": still, "decorative": False, "alt_text": "Lyuda"}, "caption": "Lyuda"}),
            ("pull_quote", {"quote": "A crack has appeared.", "attribution": "The critic"}),
            ("trailer", {"url": "https://youtu.be/aqz-KE-bpKQ", "title": "Trailer for Dear Comrades!", "caption": ""}),
            ("spoiler", {"summary": "How it ends", "text": "<p>She keeps searching.</p>"}),
        ],
    )
    ReviewAffiliateLink.objects.create(page=review, link=AffiliateLinkFactory())
    thread = CommentFactory(review=review, name="Irina", website="https://irina.example/", text="Moving.\nThank you.")
    CommentFactory(review=review, parent=thread, name="Tom", text="Agreed: see www.example.com")
    for n in range(11):
        ReviewPageFactory(parent=index, rating=None if n == 3 else "3.5")
    about = ContentPageFactory(parent=home, title="About", show_in_menus=True, body=[("paragraph", "<p>Hello.</p>")])
    return {"review": review, "about": about, "index": index}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?page=2",
        "review",
        "index",
        "about",
        "/search/?q=dear",
        "/search/?q=zzzz",
        "/no-such-page/",
        "comment",
        "rate",
        "/people/andrey-konchalovsky/",
        "/browse/genre/drama/",
        "/browse/a-z/",
        "/browse/genres/",
    ],
)
def test_page_has_no_axe_violations(live_server, page, public_site, path):
    if path in ("comment", "rate"):  # the no-JavaScript comment and rating pages
        prefix = {"comment": "comments", "rate": "ratings"}[path]
        path = f"/{prefix}/{public_site['review'].pk}/"
    elif not path.startswith("/"):
        path = public_site[path].url
    page.route("**/*", lambda route: route.abort() if "youtube" in route.request.url else route.continue_())
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
