"""`manage.py import_wordpress`: a WordPress film blog's export and uploads, imported whole and idempotently."""

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from blog.affiliates.models import AffiliateLink, AffiliateProgram
from blog.comments.models import Comment
from blog.factories import PersonFactory, ReviewPageFactory
from blog.imports.models import ImportedItem
from blog.models import Critic, Genre, ReviewIndexPage, ReviewPage
from blog.ratings.models import RatingSummary
from blog.wordpress.importer import Importer, parse_rating
from home.models import ContentPage
from tests.helpers import vote

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress" / "film-blog.xml"


@pytest.fixture
def uploads(tmp_path):
    """The site's wp-content/uploads: the files the export refers to, bar one that went missing."""
    folder = tmp_path / "uploads"
    for relative, size, colour in [
        ("2020/11/dear-comrades.jpg", (1600, 900), "#334455"),
        ("2020/11/lyuda-square.jpg", (1200, 800), "#554433"),
        ("2021/03/the-zone.png", (1280, 720), "#335544"),
    ]:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        PILImage.new("RGB", size, colour).save(path)
    return folder


def run(*args):
    """The command's summary; the fixture export unless a file comes first."""
    if not args or str(args[0]).startswith("--"):
        args = (FIXTURE, *args)
    out = io.StringIO()
    call_command("import_wordpress", *(str(a) for a in args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def row(output, kind):
    """The summary's numbers for ``kind``: imported, updated, unchanged, skipped, failed."""
    line = next(line for line in output.splitlines() if line.startswith(kind + " "))
    return [int(n) for n in line.split()[-5:]]


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "comments": Comment.objects.count(),
        "redirects": Redirect.objects.count(),
        "links": AffiliateLink.objects.count(),
        "genres": Genre.objects.count(),
        "imported": ImportedItem.objects.count(),
    }


def test_everything_arrives(client, review_index, uploads):
    director = PersonFactory(name="Andrey Konchalovsky")
    ReviewPageFactory(parent=review_index, title="Siberiade", directors=[director])
    PersonFactory(name="Julia Vysotskaya")
    output = run("--uploads", str(uploads))

    assert row(output, "review") == [3, 0, 0, 1, 0]  # the trashed post is skipped
    assert row(output, "page") == [1, 0, 0, 0, 0]
    assert row(output, "image") == [3, 0, 0, 1, 0]  # one file is missing
    assert row(output, "comment") == [4, 0, 0, 2, 0]  # pingback and trash skipped
    assert "nav_menu_item" in output and "post meta: post_views_count" in output
    assert "lost-frame.jpg" in output  # the warning for the missing file

    review = ReviewPage.objects.get(slug="dear-comrades")
    assert review.live and review.title == "Dear Comrades!" and review.release_year == 2020
    assert review.first_published_at.isoformat() == "2020-11-24T18:30:00+00:00"
    [critic] = [credit.critic for credit in review.critic_credits.all()]
    assert (critic.name, critic.slug, critic.bio) == ("Morgan Reed", "morgan-reed", "")
    assert review.rating == Decimal("4.5")
    assert review.standfirst == "A loyal official hunts for her daughter after the Novocherkassk shootings."
    assert review.hero_image.title == "Dear Comrades! poster still"
    assert review.hero_image.description == "Lyuda in a dark coat at a long committee table"
    assert review.hero_caption == "Lyuda at the party committee, 1962."
    assert sorted(g.name for g in review.genres.all()) == ["Drama", "History"]
    assert sorted(review.tags.names()) == ["Andrey Konchalovsky", "Julia Vysotskaya", "Soviet Union"]
    # Tags naming known people became credits: the director as director, the actor as cast.
    assert [c.person.name for c in review.director_credits.all()] == ["Andrey Konchalovsky"]
    assert [c.person.name for c in review.cast_credits.all()] == ["Julia Vysotskaya"]

    kinds = [block.block_type for block in review.body]
    assert kinds == [
        "paragraph",
        "image",
        "heading",
        "paragraph",
        "paragraph",
        "pull_quote",
        "paragraph",
        "trailer",
        "paragraph",
    ]
    image = review.body[1].value
    assert image["image"].title == "lyuda-square" and image["caption"] == "Lyuda crosses the square after the shooting"
    assert review.body[1].value["image"].contextual_alt_text == "Lyuda crosses the square"
    assert review.body[2].value["text"] == "A believer's week"
    assert "<li>Yulia Burova as Svetka</li>" in review.body[4].value.source
    assert review.body[6].value.source == "<p>Seen at the London Film Festival.</p>"  # the shortcode removed cleanly
    assert review.body[7].value["url"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    stored = str(review.body.raw_data)
    assert "<script" not in stored and "onclick" not in stored and "su_note" not in stored and "[caption" not in stored
    assert "Amazon Associate" not in stored and "amazon.co.uk" not in stored  # the affiliate line moved out

    [link] = [item.link for item in review.affiliate_links.all()]
    assert link.product_url == "https://www.amazon.co.uk/dp/B08XQ1234"
    assert link.label == "Watch it/buy it at Amazon"
    assert link.program.tracking_parameters == "tag=filmnotebook-21"
    assert link.program.disclosure == "As an Amazon Associate I earn from qualifying purchases."
    assert link.destination == "https://www.amazon.co.uk/dp/B08XQ1234?tag=filmnotebook-21"

    comments = {c.name: c for c in review.comments.all()}
    assert set(comments) == {"Irina", "Tom", "Sam", "Cheap pills"}
    assert comments["Irina"].status == "approved" and comments["Irina"].website == "https://irina.example/"
    assert comments["Irina"].text == "My grandmother lived there.\nShe never spoke of it & now I know why."
    assert comments["Irina"].created_at.isoformat() == "2020-11-25T08:00:00+00:00"
    assert comments["Tom"].parent == comments["Irina"] and comments["Tom"].depth == 1
    assert comments["Sam"].status == "pending" and comments["Cheap pills"].status == "spam"

    summary = RatingSummary.objects.get(review=review)
    assert (summary.count, summary.average) == (12, Decimal("3.8"))

    # Readers see it all on the new site.
    html = client.get(review.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert "Lyuda crosses the square after the shooting" in soup.select_one(".article__body").get_text()
    assert soup.select_one("[data-reader-summary]").get_text(strip=True) == "3.8 from 12 readers"
    assert soup.find("a", rel=["sponsored", "noopener"]).get_text(strip=True) == "Watch it/buy it at Amazon"
    assert "My grandmother lived there." in html and "Is it streaming anywhere?" not in html

    # Old addresses lead to the new pages.
    for old in ("/2020/11/dear-comrades/", "/?p=1"):
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, review.url), (old, response.status_code)

    stalker = ReviewPage.objects.get(title="Stalker")
    assert not stalker.live and stalker.has_unpublished_changes  # a draft stays a draft
    # Another author: their display name, and the bio the export carries.
    [critic] = [credit.critic for credit in stalker.get_latest_revision_as_object().critic_credits.all()]
    assert (critic.name, critic.bio) == ("Jo Chen", "Jo reviews science fiction for the blog.")
    assert Critic.objects.count() == 2  # one record per author, however many posts
    assert stalker.release_year == 1979 and stalker.rating == Decimal("4.5")  # "9/10"
    assert [b.block_type for b in stalker.body] == ["paragraph", "image", "heading", "pull_quote", "trailer"]
    assert stalker.body[1].value["caption"] == "The Zone, after the rain"
    assert stalker.body[1].value["image"].contextual_alt_text == "Three men rest in wet grass"  # from the library
    assert stalker.body[3].value["attribution"] == "The Writer"
    assert stalker.body[4].value["url"] == "https://vimeo.com/123456789"
    assert RatingSummary.objects.get(review=stalker).count == 3

    hunt = ReviewPage.objects.get(slug="the-hunt")
    assert not hunt.live and hunt.go_live_at.year == 2030
    assert hunt.get_latest_revision().approved_go_live_at.year == 2030  # scheduled, as in WordPress

    about = ContentPage.objects.get(title="About")
    assert about.live and [b.block_type for b in about.body] == ["paragraph", "heading", "paragraph"]


def test_wordpress_com_exports_with_https_namespaces_import_the_same(review_index, tmp_path):
    export = tmp_path / "wordpress-com.xml"
    export.write_text(FIXTURE.read_text().replace('="http://wordpress.org/export/', '="https://wordpress.org/export/'))
    output = run(export)
    assert row(output, "review") == [3, 0, 0, 1, 0]
    review = ReviewPage.objects.get(slug="dear-comrades")
    assert review.standfirst.startswith("A loyal official") and review.comments.count() == 4


def test_running_again_changes_nothing(review_index, uploads):
    run("--uploads", str(uploads))
    before = counts()
    output = run("--uploads", str(uploads))
    assert counts() == before
    assert row(output, "review") == [0, 0, 3, 1, 0]
    assert row(output, "image") == [0, 0, 3, 1, 0]
    assert row(output, "page") == [0, 0, 1, 0, 0]


def test_a_later_export_updates_what_changed(review_index, uploads, tmp_path):
    run("--uploads", str(uploads))
    review = ReviewPage.objects.get(slug="dear-comrades")
    vote(Client(REMOTE_ADDR="10.9.0.1"), review, 1)
    before = counts()
    later = FIXTURE.read_text()
    later = later.replace("the choice pays off.", "the choice pays off handsomely.")
    later = later.replace(
        "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>",
        "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>",
    )
    later = later.replace("<wp:meta_value><![CDATA[12]]>", "<wp:meta_value><![CDATA[13]]>").replace(
        "<![CDATA[45]]>", "<![CDATA[50]]>"
    )
    export = tmp_path / "later.xml"
    export.write_text(later)
    output = run(export, "--uploads", str(uploads))
    assert row(output, "review") == [0, 1, 2, 1, 0]
    after = counts()
    assert after["revisions"] == before["revisions"] + 1
    assert {k: v for k, v in after.items() if k != "revisions"} == {
        k: v for k, v in before.items() if k != "revisions"
    }
    review.refresh_from_db()
    assert "handsomely" in review.body[0].value.source
    assert review.comments.get(name="Sam").status == "approved"
    summary = RatingSummary.objects.get(review=review)
    assert (summary.count, summary.total) == (14, 51)  # 13 imported votes totalling 50, plus one cast here


def test_dry_run_reports_and_writes_nothing(review_index, uploads):
    before = counts()
    output = run("--uploads", str(uploads), "--dry-run")
    assert "DRY RUN" in output
    assert row(output, "review") == [3, 0, 0, 1, 0]
    assert counts() == before
    assert not get_image_model().objects.exists()


def test_a_failing_post_leaves_nothing_behind_and_the_rest_import(review_index, uploads, monkeypatch):
    real = Importer.reader_votes

    def explode(self, page, item):
        if item.wp_id == 1:
            raise ValueError("the database went away mid-post")
        return real(self, page, item)

    monkeypatch.setattr(Importer, "reader_votes", explode)
    output = run("--uploads", str(uploads))
    assert row(output, "review") == [2, 0, 0, 1, 1]
    assert "review 1 “Dear Comrades! (2020)”: ValueError: the database went away mid-post" in output
    assert not ReviewPage.objects.filter(title="Dear Comrades!").exists()
    assert not Comment.objects.exists() and not Redirect.objects.filter(old_path="/?p=1").exists()
    assert not ImportedItem.objects.filter(kind="post", key="1").exists()
    assert ReviewPage.objects.filter(title="Stalker").exists()
    monkeypatch.setattr(Importer, "reader_votes", real)
    output = run("--uploads", str(uploads))  # fixed, the next run brings it in
    assert row(output, "review") == [1, 0, 2, 1, 0]


def test_missing_uploads_folder_still_imports_posts(review_index):
    output = run()
    assert row(output, "review") == [3, 0, 0, 1, 0]
    assert ReviewPage.objects.get(slug="dear-comrades").hero_image is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("this is not xml at all", "not well-formed XML: syntax error: line 1, column 0"),
        (FIXTURE.read_text()[:4000], "not well-formed XML"),
        ("<html><body>Hello</body></html>", "not a WordPress export: its root element is <html>"),
        ('<rss version="2.0"><channel><title>A feed</title></channel></rss>', "no <wp:wxr_version>"),
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel/></rss>', "refused for safety"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error_and_nothing_imported(review_index, tmp_path, text, message):
    export = tmp_path / "export.xml"
    export.write_text(text)
    before = counts()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace("[", r"\[")):
        run(export)
    assert counts() == before


def test_truncated_export_names_the_line(review_index, tmp_path):
    export = tmp_path / "export.xml"
    lines = FIXTURE.read_text().splitlines()
    export.write_text("\n".join(lines[:120]))
    with pytest.raises(CommandError, match=r"line 12[01], column"):
        run(export)


def test_bad_arguments(review_index, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run(FIXTURE, "--uploads", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="COUNT_KEY:SUM_KEY"):
        run(FIXTURE, "--votes-keys", "just_one")
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.xml")


def test_meta_keys_are_configurable(review_index, tmp_path):
    export = tmp_path / "custom.xml"
    export.write_text(
        FIXTURE.read_text()
        .replace("<![CDATA[rating]]>", "<![CDATA[my_stars]]>")
        .replace("<![CDATA[ratings_users]]>", "<![CDATA[my_votes]]>")
        .replace("<![CDATA[ratings_score]]>", "<![CDATA[my_total]]>")
    )
    run(export, "--rating-key", "my_stars", "--votes-keys", "my_votes:my_total")
    review = ReviewPage.objects.get(slug="dear-comrades")
    assert review.rating == Decimal("4.5")
    assert RatingSummary.objects.get(review=review).count == 12


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("4.5", "4.5"),
        ("4,5", "4.5"),
        ("9/10", "4.5"),
        ("3", "3.0"),
        ("0.2", "0.5"),
        ("7", None),
        ("abc", None),
        ("", None),
    ],
)
def test_ratings_are_read_on_a_half_star_scale(raw, expected):
    assert parse_rating(raw) == (Decimal(expected) if expected else None)


def test_affiliate_links_join_an_existing_program(review_index, uploads):
    program = AffiliateProgram.objects.create(
        name="Amazon UK", allowed_domains="amazon.co.uk", tracking_parameters="tag=marquee-21", disclosure="We earn."
    )
    run("--uploads", str(uploads))
    [link] = AffiliateLink.objects.all()
    assert link.program == program and AffiliateProgram.objects.count() == 1
    assert link.destination == "https://www.amazon.co.uk/dp/B08XQ1234?tag=marquee-21"


def test_uploads_copy_is_not_needed_after_import(review_index, uploads, client):
    run("--uploads", str(uploads))
    shutil.rmtree(uploads)
    review = ReviewPage.objects.get(slug="dear-comrades")
    assert client.get(review.url).status_code == 200


def test_the_reviews_section_is_made_again_if_an_editor_deleted_it(home_page):
    ReviewIndexPage.objects.all().delete()
    output = run()
    index = ReviewIndexPage.objects.get()
    assert index.live and index.url == "/reviews/"
    assert row(output, "review")[0] == ReviewPage.objects.child_of(index).count() > 0
