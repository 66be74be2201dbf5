"""Affiliate programs and links: one place to manage, disclosure, click tracking."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from blog.affiliates.factories import AffiliateLinkFactory, AffiliateProgramFactory
from blog.affiliates.models import AffiliateLink, AffiliateProgram, AffiliateSettings, ClickCount, ReviewAffiliateLink
from blog.factories import ReviewPageFactory
from core.factories import UserFactory
from tests.helpers import soup

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36"}


@pytest.fixture
def program(db):
    return AffiliateProgramFactory(name="Amazon UK")


@pytest.fixture
def review_with_link(review_index, program):
    review = ReviewPageFactory(parent=review_index, title="Dear Comrades!")
    link = AffiliateLinkFactory(program=program, product_url="https://www.amazon.co.uk/dp/B08XYZ?ref=x&tag=old")
    ReviewAffiliateLink.objects.create(page=review, link=link)
    return review, link


def test_program_sets_its_tracking_parameters_replacing_any_in_the_url():
    program = AffiliateProgram(tracking_parameters="tag=marquee-21")
    assert program.tracked_url("https://www.amazon.co.uk/dp/B0?tag=someone-else&ref=x") == (
        "https://www.amazon.co.uk/dp/B0?ref=x&tag=marquee-21"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["https://evil.example/?tag=x", "?tag=x", "=x"])
def test_tracking_parameters_must_be_name_value_pairs(value):
    program = AffiliateProgram(name="A", tracking_parameters=value, allowed_domains="amazon.com", disclosure="d")
    with pytest.raises(ValidationError):
        program.full_clean()


@pytest.mark.django_db
def test_review_page_shows_link_with_disclosure_beside_it(client, review_with_link):
    review, link = review_with_link
    settings = AffiliateSettings.for_site(review.get_site())
    settings.disclosure = "Marquee earns a commission from these links."
    settings.save()
    section = soup(client.get(review.url)).select_one(".where-to-watch")
    items = section.select("li")
    assert items[0].get_text(" ", strip=True) == "Dear Comrades! – Watch it/buy it at Amazon"
    anchor = items[0].find("a")
    assert anchor["href"] == f"/go/{link.pk}/"
    assert anchor["rel"] == ["sponsored", "noopener"]
    assert items[1].get_text(" ", strip=True) == (
        "Marquee earns a commission from these links. As an Amazon Associate I earn from qualifying purchases."
    )


@pytest.mark.django_db
def test_disclosures_once_per_program(client, review_with_link, program):
    review, _ = review_with_link
    other = AffiliateProgramFactory(name="Curzon", allowed_domains="curzon.com", disclosure="Curzon pays us too.")
    ReviewAffiliateLink.objects.create(page=review, link=AffiliateLinkFactory(program=program), sort_order=1)
    ReviewAffiliateLink.objects.create(
        page=review,
        link=AffiliateLinkFactory(program=other, product_url="https://www.curzon.com/film/1"),
        sort_order=2,
    )
    note = soup(client.get(review.url)).select_one(".where-to-watch .disclosure").get_text(" ", strip=True)
    assert note == "As an Amazon Associate I earn from qualifying purchases. Curzon pays us too."


@pytest.mark.django_db
def test_changing_the_tag_once_changes_every_link(client, review_index, program):
    links = [AffiliateLinkFactory(program=program) for _ in range(3)]
    for link in links:
        ReviewAffiliateLink.objects.create(page=ReviewPageFactory(parent=review_index), link=link)
    program.tracking_parameters = "tag=new-21"
    program.save()
    for link in links:
        response = client.get(f"/go/{link.pk}/", **BROWSER)
        assert response.status_code == 302
        assert response["Location"].endswith("tag=new-21")


@pytest.mark.django_db
def test_switching_a_program_off_hides_its_links_everywhere(client, review_with_link, program):
    review, link = review_with_link
    program.is_active = False
    program.save()
    page = soup(client.get(review.url))
    assert page.select_one(".where-to-watch") is None
    assert client.get(f"/go/{link.pk}/", **BROWSER).status_code == 404


@pytest.mark.django_db
def test_go_counts_a_click_and_redirects_to_the_stored_destination(client, review_with_link):
    _, link = review_with_link
    response = client.get(f"/go/{link.pk}/?next=https://elsewhere.example/", **BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "https://www.amazon.co.uk/dp/B08XYZ?ref=x&tag=example-21"
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    client.get(f"/go/{link.pk}/", **BROWSER)
    assert ClickCount.objects.get(link=link, day=timezone.localdate()).clicks == 2


HEADLESS_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36"
)
NAVIGATION = {"HTTP_SEC_FETCH_MODE": "navigate", "HTTP_SEC_FETCH_DEST": "document", "HTTP_SEC_FETCH_USER": "?1"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_USER_AGENT": agent}
        for agent in [
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1",
            "curl/8.0",
            "",
            "python-urllib3/2.2.1",
            "Go-http-client/1.1",
            "okhttp/4.12.0",
            HEADLESS_CHROME,
            "libwww-perl/6.72",
            "Java/17.0.2",
            "axios/1.7.2",
            "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
            "Mozilla/4.0",
        ]
    ]
    + [
        {**BROWSER, "HTTP_SEC_PURPOSE": "prefetch"},
        {**BROWSER, "HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {**BROWSER, "HTTP_PURPOSE": "prefetch"},
        {**BROWSER, "HTTP_SEC_FETCH_MODE": "no-cors", "HTTP_SEC_FETCH_DEST": "image"},
        {**BROWSER, "HTTP_SEC_FETCH_MODE": "cors", "HTTP_SEC_FETCH_DEST": "empty"},
    ],
)
def test_bots_and_prefetches_are_redirected_but_not_counted(client, review_with_link, headers):
    _, link = review_with_link
    response = client.get(f"/go/{link.pk}/", **headers)
    assert response.status_code == 302
    assert response["Location"] == link.destination
    assert not ClickCount.objects.exists()


@pytest.mark.django_db
def test_a_browser_following_the_link_is_counted_with_or_without_fetch_metadata(client, review_with_link):
    _, link = review_with_link
    client.get(f"/go/{link.pk}/", **BROWSER, **NAVIGATION)
    client.get(f"/go/{link.pk}/", **BROWSER)  # older browsers send no Sec-Fetch headers
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    client.get(f"/go/{link.pk}/", HTTP_USER_AGENT=firefox, **NAVIGATION)
    assert ClickCount.objects.get(link=link).clicks == 3


@pytest.mark.django_db
def test_go_refuses_bad_addresses_and_methods(client, review_with_link):
    _, link = review_with_link
    assert client.get("/go/abc/", **BROWSER).status_code == 404
    assert client.get("/go/999999/", **BROWSER).status_code == 404
    assert client.post(f"/go/{link.pk}/", **BROWSER).status_code == 405
    assert client.head(f"/go/{link.pk}/", **BROWSER).status_code == 302
    assert not ClickCount.objects.exists()


def snippet_form(program, **overrides):
    data = {
        "program": str(program.pk),
        "product_url": "https://www.amazon.co.uk/dp/B08XYZ",
        "label": "Watch it/buy it at Amazon",
        "format": "buy",
        "film": "Dear Comrades!",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("product_url", "javascript:alert(1)", "Enter a valid URL."),
        ("product_url", "data:text/html,hi", "Enter a valid URL."),
        ("product_url", "www.amazon.co.uk/dp/B0", "Enter the full address, starting with https://."),
        ("product_url", "https://evil.example/dp/B0", "links may only point to: amazon.co.uk, amazon.com"),
        ("product_url", "https://amazon.co.uk.evil.example/", "links may only point to"),
        ("label", "", "This field is required."),
    ],
)
def test_bad_links_are_refused_in_the_admin(admin_client, program, field, value, message):
    response = admin_client.post(
        "/admin/snippets/affiliates/affiliatelink/add/", snippet_form(program, **{field: value})
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not AffiliateLink.objects.exists()


@pytest.mark.django_db
def test_subdomains_of_allowed_domains_are_accepted(admin_client, program):
    data = snippet_form(program, product_url="https://smile.amazon.com/dp/B0")
    assert admin_client.post("/admin/snippets/affiliates/affiliatelink/add/", data).status_code == 302
    assert AffiliateLink.objects.count() == 1


@pytest.mark.django_db
def test_program_needs_disclosure_and_domains(admin_client):
    data = {"name": "Amazon US", "tracking_parameters": "tag=x-20", "allowed_domains": "", "disclosure": ""}
    response = admin_client.post("/admin/snippets/affiliates/affiliateprogram/add/", data)
    assert response.status_code == 200
    assert "disclosure" in response.context["form"].errors
    assert "allowed_domains" in response.context["form"].errors
    data.update(allowed_domains="https://amazon.com/", disclosure="We earn from this.")
    response = admin_client.post("/admin/snippets/affiliates/affiliateprogram/add/", data)
    assert "Enter bare domain names" in str(response.context["form"].errors["allowed_domains"])
    assert not AffiliateProgram.objects.exists()


@pytest.mark.django_db
def test_link_chooser_creates_a_link_inline_and_validates(admin_client, program):
    url = "/admin/snippets/choose/affiliates/affiliatelink/create/"
    bad = admin_client.post(url, snippet_form(program, product_url="https://evil.example/"))
    assert bad.json()["step"] != "chosen"
    good = admin_client.post(url, snippet_form(program))
    assert good.json()["step"] == "chosen"
    assert AffiliateLink.objects.count() == 1


@pytest.mark.django_db
def test_click_report_per_link_and_program_with_csv(admin_client, program):
    amazon, other = AffiliateLinkFactory(program=program, film="Ida"), AffiliateLinkFactory(program=program)
    today = timezone.localdate()
    ClickCount.objects.create(link=amazon, day=today, clicks=5)
    ClickCount.objects.create(link=amazon, day=today - timedelta(days=20), clicks=7)
    ClickCount.objects.create(link=other, day=today - timedelta(days=60), clicks=11)

    def totals(days):
        page = soup(admin_client.get(f"/admin/reports/affiliate-clicks/?days={days}"))
        return page.select_one(".click-total").get_text(" ", strip=True)

    assert totals(7) == "5 clicks in the last 7 days"
    assert totals(30) == "12 clicks in the last 30 days"
    assert totals(90) == "23 clicks in the last 90 days"
    assert totals("junk") == "12 clicks in the last 30 days"
    page = soup(admin_client.get("/admin/reports/affiliate-clicks/?days=90"))
    assert len(page.select("svg rect")) == 90
    csv = admin_client.get("/admin/reports/affiliate-clicks/?days=90&export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "Link,For,Program,Clicks"
    assert lines[1] == "Watch it/buy it at Amazon,Ida,Amazon UK,12"
    assert len(lines) == 3


@pytest.mark.django_db
def test_report_and_dashboard_panel_are_for_site_owners(client, admin_client, program):
    ClickCount.objects.create(
        link=AffiliateLinkFactory(program=program, film="Ida"), day=timezone.localdate(), clicks=3
    )
    dashboard = admin_client.get("/admin/").text
    assert "this week's top clicks" in dashboard
    assert "Ida" in dashboard
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/reports/affiliate-clicks/").status_code == 302
    assert "this week's top clicks" not in client.get("/admin/").text


@pytest.mark.django_db
def test_editor_can_add_links_to_a_review(client, review_with_link):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/snippets/choose/affiliates/affiliatelink/").status_code == 200
    assert Client().get("/admin/snippets/choose/affiliates/affiliatelink/").status_code == 302
