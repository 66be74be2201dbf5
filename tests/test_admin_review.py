"""Editors compose reviews in the Wagtail admin."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.factories import CriticFactory, GenreFactory, PersonFactory
from blog.models import Critic, Person, ReviewPage
from core.factories import ImageFactory


def review_form_data(image, director, actor, genres, critics=(), **overrides):
    data = {
        "title": "Dear Comrades!",
        "slug": "dear-comrades",
        "original_title": "Dorogie tovarishchi!",
        "release_year": "2020",
        "runtime": "121",
        "country": "Russia",
        "language": "Russian",
        "rating": "4.5",
        "standfirst": "A party loyalist's faith meets a massacre.",
        "hero_image": str(image.pk),
        "hero_caption": "Novocherkassk, 1962",
        "hero_credit": "Demo",
        "director_credits": inline_formset([{"person": str(director.pk)}]),
        "cast_credits": inline_formset([{"person": str(actor.pk), "character": "Lyuda"}]),
        "affiliate_links": inline_formset([]),
        "critic_credits": inline_formset([{"critic": str(critic.pk)} for critic in critics]),
        "rewatches": streamfield([]),
        "body": streamfield(
            [
                ("paragraph", rich_text("<p>The strike begins on a hot June morning.</p>")),
                ("heading", {"text": "The square", "level": "h2"}),
                (
                    "image",
                    {
                        "image": {"image": str(image.pk), "decorative": "", "alt_text": "Lyuda in the square"},
                        "caption": "Julia Vysotskaya as Lyuda",
                        "credit": "© Demo Films",
                        "alignment": "wide",
                    },
                ),
                ("pull_quote", {"quote": "A crack has appeared.", "attribution": "The critic"}),
                (
                    "trailer",
                    {
                        "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
                        "title": "Trailer for Dear Comrades!",
                        "caption": "",
                    },
                ),
                ("spoiler", {"summary": "How it ends", "text": rich_text("<p>She keeps searching.</p>")}),
            ]
        ),
        "action-publish": "publish",
    }
    data.update(overrides)
    form = nested_form_data(data)
    form["genres"] = [str(g.pk) for g in genres]
    return form


@pytest.fixture
def film_data(db):
    return {
        "image": ImageFactory(title="Lyuda"),
        "director": PersonFactory(name="Andrey Konchalovsky"),
        "actor": PersonFactory(name="Julia Vysotskaya"),
        "genres": [GenreFactory(name="Drama"), GenreFactory(name="History")],
    }


def add_url(index):
    return f"/admin/pages/add/blog/reviewpage/{index.pk}/"


@pytest.mark.django_db
def test_create_and_publish_review_with_full_body(admin_client, review_index, film_data):
    critics = [CriticFactory(name="Maya Reed"), CriticFactory(name="Bo Chen")]
    response = admin_client.post(add_url(review_index), review_form_data(**film_data, critics=critics))
    assert response.status_code == 302, response.context["form"].errors if response.context else response

    review = ReviewPage.objects.get(slug="dear-comrades")
    assert review.live
    assert review.rating == Decimal("4.5")
    assert [c.person.name for c in review.director_credits.all()] == ["Andrey Konchalovsky"]
    assert [(c.person.name, c.character) for c in review.cast_credits.all()] == [("Julia Vysotskaya", "Lyuda")]
    assert sorted(g.name for g in review.genres.all()) == ["Drama", "History"]
    assert [block.block_type for block in review.body] == [
        "paragraph",
        "heading",
        "image",
        "pull_quote",
        "trailer",
        "spoiler",
    ]
    assert review.revisions.count() == 1
    assert [credit.critic.name for credit in review.critic_credits.all()] == ["Maya Reed", "Bo Chen"]

    page = admin_client.get(review.url).text
    assert "The strike begins on a hot June morning." in page
    assert "Julia Vysotskaya as Lyuda" in page
    assert 'alt="Lyuda in the square"' in page
    assert "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ" in page
    assert "<summary>How it ends</summary>" in page


@pytest.mark.django_db
def test_save_draft_does_not_publish(admin_client, review_index, film_data):
    data = review_form_data(**film_data)
    del data["action-publish"]
    response = admin_client.post(add_url(review_index), data)
    assert response.status_code == 302
    review = ReviewPage.objects.get(slug="dear-comrades")
    assert not review.live
    assert admin_client.get("/reviews/dear-comrades/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "7", "Select a valid choice"),
        ("rating", "3.3", "Select a valid choice"),
        ("release_year", "1700", "Enter a year between 1888 and"),
        ("runtime", "-5", "greater than or equal to"),
        ("runtime", "0", "greater than or equal to 1"),
    ],
)
def test_invalid_film_details_are_rejected(admin_client, review_index, film_data, field, value, message):
    response = admin_client.post(add_url(review_index), review_form_data(**film_data, **{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not ReviewPage.objects.exists()


@pytest.mark.django_db
def test_trailer_must_be_youtube_or_vimeo(admin_client, review_index, film_data):
    data = review_form_data(**film_data)
    data["body-4-value-url"] = "https://example.com/trailer.mp4"
    response = admin_client.post(add_url(review_index), data)
    assert response.status_code == 200
    assert "Enter a YouTube or Vimeo video address." in response.text
    assert not ReviewPage.objects.exists()


@pytest.mark.django_db
def test_image_needs_alt_text_or_decorative(admin_client, review_index, film_data):
    data = review_form_data(**film_data)
    data["body-2-value-image-alt_text"] = ""
    response = admin_client.post(add_url(review_index), data)
    assert response.status_code == 200
    assert "Please add some alt text for your image or mark it as decorative" in response.text
    assert not ReviewPage.objects.exists()


@pytest.mark.django_db
def test_edit_form_has_tabs_and_help_text(admin_client, review_index):
    response = admin_client.get(add_url(review_index))
    html = response.text
    soup = BeautifulSoup(html, "html.parser")
    tabs = [tab.get_text(" ", strip=True).split(" (")[0] for tab in soup.select("[role=tab]")]
    assert tabs == ["Review", "Film", "Promote"]
    # Scheduling (go-live and expiry dates) sits in Wagtail's status side panel.
    assert '"fieldName": "go_live_at"' in html
    assert "“Not rated” shows no stars" in html
    assert "The year of first release." in html


@pytest.mark.django_db
def test_person_chooser_can_create_a_person(admin_client):
    response = admin_client.get("/admin/snippets/choose/blog/person/")
    assert response.status_code == 200
    assert "Add person" in response.json()["html"]
    response = admin_client.post("/admin/snippets/choose/blog/person/create/", {"name": "Elem Klimov"})
    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    assert Person.objects.filter(name="Elem Klimov", slug="elem-klimov").exists()
    assert response.json()["result"]["string"] == "Elem Klimov"


@pytest.mark.django_db
def test_editor_previews_unsaved_changes(admin_client, review_index, film_data):
    data = review_form_data(**film_data)
    del data["action-publish"]
    admin_client.post(add_url(review_index), data)
    review = ReviewPage.objects.get(slug="dear-comrades")
    data["title"] = "Dear Comrades! (preview)"
    preview_url = f"/admin/pages/{review.pk}/edit/preview/"
    assert admin_client.post(preview_url, data).json()["is_valid"]
    response = admin_client.get(preview_url)
    assert response.status_code == 200
    assert "Dear Comrades! (preview)" in response.text
    assert "Julia Vysotskaya as Lyuda" in response.text
    # Nothing was saved by previewing.
    review.refresh_from_db()
    assert review.title == "Dear Comrades!"


@pytest.mark.django_db
def test_preview_of_a_new_review_renders_its_head_tags_and_json_ld(admin_client, review_index, film_data):
    data = review_form_data(**film_data)
    del data["action-publish"]
    preview_url = f"{add_url(review_index)}preview/"
    assert admin_client.post(preview_url, data).json()["is_valid"]
    response = admin_client.get(preview_url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("meta", property="og:title")["content"].startswith("Dear Comrades!")
    scripts = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert "Review" in {item["@type"] for item in scripts}
    assert ReviewPage.objects.count() == 0


@pytest.mark.django_db
def test_the_same_critic_twice_on_one_byline_is_a_form_error(admin_client, review_index, film_data):
    critic = CriticFactory()
    response = admin_client.post(add_url(review_index), review_form_data(**film_data, critics=[critic, critic]))
    assert response.status_code == 200
    assert not ReviewPage.objects.filter(slug="dear-comrades").exists()


def critic_form(**fields):
    data = {"name": "Maya Reed", "slug": "", "bio": "", "portrait": "", "portrait_alt_text": "", "user": ""}
    data["links"] = streamfield([("link", link) for link in fields.pop("links", [])])
    return nested_form_data({**data, **fields})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field_with_error",
    [
        ({"links": [{"platform": "website", "url": "ftp://files.example.com/", "label": ""}]}, "links"),
        ({"links": [{"platform": "website", "url": "javascript:alert(1)", "label": ""}]}, "links"),
        ({"portrait": "PORTRAIT"}, "portrait_alt_text"),
        ({"portrait": "999999"}, "portrait"),  # no such image
        ({"slug": "taken"}, "slug"),
        ({"slug": "not a slug!"}, "slug"),
        ({"name": ""}, "name"),
    ],
)
def test_a_critic_form_with_bad_input_is_refused_and_stores_nothing(admin_client, fields, field_with_error):
    CriticFactory(name="Someone", slug="taken")
    if fields.get("portrait") == "PORTRAIT":
        fields["portrait"] = str(ImageFactory().pk)
    response = admin_client.post("/admin/snippets/blog/critic/add/", critic_form(**fields))
    assert response.status_code == 200
    assert field_with_error in response.context["form"].errors
    assert list(Critic.objects.values_list("slug", flat=True)) == ["taken"]


@pytest.mark.django_db
def test_an_editor_adds_a_guest_critic_with_a_name_alone_and_the_slug_follows(admin_client):
    response = admin_client.post("/admin/snippets/blog/critic/add/", critic_form(name="Bo Chen"))
    assert response.status_code == 302
    critic = Critic.objects.get()
    assert (critic.name, critic.slug, critic.user) == ("Bo Chen", "bo-chen", None)
