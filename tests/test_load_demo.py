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
from tests.test_structured_data import json_ld


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

    # "Best of 2020": ranks, posters and notes, ItemList markup, and "On these lists" on its reviews.
    best = BeautifulSoup(client.get("/lists/best-of-2020/").content, "html.parser")
    titles = [t.get_text(" ", strip=True).split(" (")[0] for t in best.select(".list-entry__title")]
    assert titles == ["Dear Comrades!", "Another Round", "Nomadland", "Minari", "Mank"]
    assert [" ".join(r.get_text().split()) for r in best.select(".list-entry__rank")][:2] == ["Number 1", "Number 2"]
    assert len(best.select(".list-entry__poster img")) == 3 and len(best.select(".list-entry__note")) == 5
    (item_list,) = [i for i in json_ld(str(best)) if i["@type"] == "ItemList"]
    assert [element["position"] for element in item_list["itemListElement"]] == [1, 2, 3]
    assert "Best of 2020" in page.select_one(".on-lists").get_text()
    # One revisited review shows its rating history.
    revisited = BeautifulSoup(client.get("/reviews/nomadland/").content, "html.parser")
    history = " ".join(revisited.select_one(".rating-history").get_text(" ").split())
    assert "First reviewed" in history and "Revisited in" in history and "up from" in history
    assert revisited.select_one(".verdict .stars")["aria-label"] == "4 out of 5 stars"

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
