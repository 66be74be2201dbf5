import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.affiliates.models import AffiliateSettings
from blog.models import Critic, Genre, Person, ReviewPage
from core.models import SiteIdentity
from home.models import ContentPage


def counts():
    return {
        "pages": Page.objects.count(),
        "reviews": ReviewPage.objects.live().count(),
        "people": Person.objects.count(),
        "genres": Genre.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_builds_the_demo_site(client, home_page):
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    assert 15 <= first["reviews"] <= 20
    assert ContentPage.objects.filter(slug="about").exists()
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert SiteIdentity.for_site(home_page.get_site()).copyright_holder
    assert AffiliateSettings.for_site(home_page.get_site()).disclosure

    # The reference review is there with all its parts.
    review = ReviewPage.objects.get(slug="dear-comrades")
    page = BeautifulSoup(client.get(review.url).content, "html.parser")
    assert page.h1.text.startswith("Dear Comrades!")
    assert page.select_one(".verdict .stars")["aria-label"] == "4.5 out of 5 stars"
    assert "Andrey Konchalovsky" in page.select_one(".film-facts").text
    assert "Julia Vysotskaya as Lyuda" in page.select_one(".film-facts").get_text(" ", strip=True)
    captions = [f.get_text(" ", strip=True) for f in page.select(".article__body figcaption")]
    assert any(c.startswith("Julia Vysotskaya as Lyuda") for c in captions)
    assert page.select_one(".review__copyright").text.startswith("©")

    # Three critics, one a guest; a byline leads to the critic's page, which lists their reviews.
    assert {(c.name, c.user.username if c.user else None) for c in Critic.objects.all()} == {
        ("Morgan Reed", "admin"),
        ("Sam Okafor", "editor"),
        ("Priya Nair", None),
    }
    assert [a.text for a in page.select(".byline a[rel=author]")] == ["Morgan Reed"]
    guest = BeautifulSoup(client.get("/critics/priya-nair/").content, "html.parser")
    assert [h.a.text for h in guest.select(".review-card__title")] == ["Drive My Car", "Burning"]
    assert guest.select_one(".critic__portrait")["alt"]

    # Logins printed by the command work.
    assert client.login(username="admin", password="marquee-admin")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_load_demo_needs_a_migrated_site(home_page):
    from django.core.management.base import CommandError
    from wagtail.models import Site

    Site.objects.all().delete()
    with pytest.raises(CommandError, match="migrate"):
        call_command("load_demo")
