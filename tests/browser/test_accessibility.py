"""Every public page passes axe-core's automated accessibility checks in Chromium."""

import datetime
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from blog.affiliates.factories import AffiliateLinkFactory
from blog.affiliates.models import ReviewAffiliateLink
from blog.comments.factories import CommentFactory
from blog.factories import (
    CriticFactory,
    ReviewIndexPageFactory,
    ReviewPageFactory,
    SpoilerBlockFactory,
    TrailerBlockFactory,
)
from blog.lists.factories import ListIndexPageFactory, ListPageFactory
from core.factories import CaptionedImageBlockFactory, HeadingBlockFactory, ImageFactory, PullQuoteBlockFactory
from core.models import SiteIdentity
from home.factories import ContentPageFactory, site_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_site():
    home = site_home()
    settings = SiteIdentity.for_site(home.get_site())
    settings.tagline = "Film reviews"
    settings.copyright_holder = "Morgan Reed"
    settings.social_links = [("link", {"platform": "letterboxd", "url": "https://letterboxd.com/", "label": ""})]
    settings.save()
    index = ReviewIndexPageFactory(parent=home, show_in_menus=True)
    still = ImageFactory()
    critic = CriticFactory(
        name="Maya Reed",
        bio="Writes about slow cinema.",
        portrait=ImageFactory(),
        portrait_alt_text="Maya Reed at a festival",
        links=[("link", {"platform": "letterboxd", "url": "https://letterboxd.com/", "label": ""})],
    )
    review = ReviewPageFactory(
        parent=index,
        title="Dear Comrades!",
        critics=[critic, CriticFactory(name="Bo Chen")],
        directors=["Andrey Konchalovsky"],
        cast=[("Julia Vysotskaya", "Lyuda")],
        genres=["Drama"],
        body=[
            ("paragraph", "<p>The strike begins on a hot morning.</p>"),
            ("heading", HeadingBlockFactory(text="The square")),
            ("image", CaptionedImageBlockFactory(image__image__image=still, image__alt_text="Lyuda", caption="Lyuda")),
            ("pull_quote", PullQuoteBlockFactory()),
            ("trailer", TrailerBlockFactory(title="Trailer for Dear Comrades!")),
            ("spoiler", SpoilerBlockFactory()),
        ],
    )
    ReviewAffiliateLink.objects.create(page=review, link=AffiliateLinkFactory())
    thread = CommentFactory(review=review, name="Irina", website="https://irina.example/", text="Moving.\nThank you.")
    CommentFactory(review=review, parent=thread, name="Tom", text="Agreed: see www.example.com")
    for n in range(11):
        ReviewPageFactory(parent=index, rating=None if n == 3 else "3.5")
    about = ContentPageFactory(parent=home, title="About", show_in_menus=True, body=[("paragraph", "<p>Hello.</p>")])
    # Seen again: the review shows its rating history; and it is on a ranked list.
    review.rewatches = [
        (
            "rewatch",
            {"watched_on": datetime.date(2025, 3, 1), "stars": "5", "kind": "rewatch", "addendum": "<p>More.</p>"},
        )
    ]
    review.save_revision().publish()
    lists = ListIndexPageFactory(parent=home, show_in_menus=True)
    ranked = ListPageFactory(
        parent=lists,
        title="Best of 2020",
        intro="<p>The year's films.</p>",
        entries=[
            review,
            {"film_title": "Minari", "film_year": 2020, "director": "Lee Isaac Chung", "note": "<p>A farm.</p>"},
            {"review": ReviewPageFactory(parent=index, title="Nomadland"), "tied": True},
        ],
    )
    return {"review": review, "about": about, "index": index, "list": ranked, "lists": lists}


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
        "/critics/",
        "/critics/maya-reed/",
        "/browse/decade/2020s/",
        "/browse/rating/3.5/",
        "/search/",
        "list",
        "lists",
        "/search/?q=best",
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


@pytest.mark.parametrize("path", ["/", "review", "list"])
def test_narrow_screens_have_no_axe_violations(live_server, browser, public_site, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.abort() if "youtube" in route.request.url else route.continue_())
    page.goto(f"{live_server.url}{path if path.startswith('/') else public_site[path].url}")
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("path", ["/", "review"])
def test_pages_do_not_shift_while_loading(live_server, page, public_site, path):
    """Images reserve their space and the rating widget fills in place: no cumulative layout shift."""

    def slow_images(route):
        # Images arrive after the first paint, as on a real connection.
        if "youtube" in route.request.url:
            return route.abort()
        if "/media/" in route.request.url:
            time.sleep(0.3)
        return route.continue_()

    page.route("**/*", slow_images)
    page.goto(f"{live_server.url}{path if path.startswith('/') else public_site[path].url}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
