from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, resolve
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents.models import Document
from wagtail.models import Collection

from blog.affiliates.factories import AffiliateLinkFactory
from blog.comments.factories import CommentFactory
from blog.comments.models import Comment
from blog.factories import CriticFactory, GenreFactory, PersonFactory, ReviewPageFactory
from blog.models import ReviewPage
from blog.ratings.models import ReaderRating
from blog.ratings.voting import cast_vote
from blog.readers import Reader
from core.factories import ImageFactory, SuperUserFactory, UserFactory
from core.roles import sync_roles
from search.models import SearchMiss


@pytest.mark.django_db
def test_migrate_creates_editor_and_moderator_groups():
    editors = Group.objects.get(name="Editors")
    moderators = Group.objects.get(name="Moderators")
    assert editors.permissions.filter(codename="access_admin").exists()
    assert set(editors.page_permissions.values_list("permission__codename", flat=True)) >= {
        "add_page",
        "change_page",
        "publish_page",
    }
    assert moderators.page_permissions.filter(permission__codename="lock_page").exists()
    assert editors.collection_permissions.filter(permission__codename="add_image").exists()


@pytest.mark.django_db
def test_sync_roles_is_idempotent():
    before = Group.objects.get(name="Editors").page_permissions.count()
    sync_roles()
    sync_roles()
    assert Group.objects.get(name="Editors").page_permissions.count() == before


@pytest.mark.django_db
def test_editor_can_write_reviews_but_not_change_site_settings(client, review_index):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    review = ReviewPageFactory(parent=review_index)
    assert client.get(f"/admin/pages/{review.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/blog/reviewpage/{review_index.pk}/").status_code == 200
    assert client.get("/admin/snippets/blog/person/add/").status_code == 200
    response = client.get(f"/admin/settings/core/siteidentity/{review.get_site().pk}/")
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_reader_without_role_cannot_enter_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "label"),
    [
        ("core/siteidentity", "Site identity"),
        ("comments/commentsettings", "Comments"),
        ("blog/feedsettings", "Feeds"),
        ("affiliates/affiliatesettings", "Affiliate disclosure"),
    ],
)
def test_each_concern_has_its_own_settings_page_in_the_admin(admin_client, home_page, address, label):
    site = home_page.get_site()
    response = admin_client.get(f"/admin/settings/{address}/{site.pk}/")
    assert response.status_code == 200
    assert label in admin_client.get("/admin/").content.decode()


# --- The README's role table, checked row by row as each role -----------------

README = Path(__file__).resolve().parent.parent / "README.md"
ROLE_COLUMNS = ("Editors", "Moderators")


def readme_role_table():
    """{row text: {"Editors": bool, "Moderators": bool}} from the README's "Roles" table."""
    section = README.read_text().split("## Roles", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header == ["In the admin", *ROLE_COLUMNS]
    table = {}
    for line in rows[1:]:
        what, *cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert set(cells) <= {"yes", "no"}, line
        table[what] = dict(zip(ROLE_COLUMNS, [cell == "yes" for cell in cells], strict=True))
    return table


WRITE = "Write, edit, preview, publish, schedule and unpublish pages"
DELETE_PAGES = "Delete or move pages (a review's votes and comments are named first)"
OWN_IMAGES = "Upload images, and edit or delete the ones they uploaded"
ANY_IMAGE = "Edit or delete anyone's images"
CHOOSE_DOCUMENTS = "Choose documents"
DOCUMENTS = "Upload, edit or delete documents"
FILM_DATA = "Add and edit critics, people, genres and affiliate links"
DELETE_FILM_DATA = "Delete critics, people and genres"
SEARCH = "Promote search results, read the searches that found nothing"
COMMENTS = "Moderate comments: approve, mark as spam, edit, delete"
VOTES = "See and delete single reader votes"
OWNERS = "Settings, sites, users, groups, collections, redirects, affiliate programs, deleting links or logs"


@pytest.fixture
def admin_world(review_index, home_page):
    """One of everything the admin manages, and a user in each role (the editor uploaded one image)."""
    users = {}
    for role in ROLE_COLUMNS:
        users[role] = UserFactory(username=role.lower())
        users[role].groups.add(Group.objects.get(name=role))
    review = ReviewPageFactory(parent=review_index, title="Dear Comrades!")
    cast_vote(review, Reader(key="anon:a"), 4, "x")
    site = home_page.get_site()
    link = AffiliateLinkFactory()
    return SimpleNamespace(
        users=users,
        review=review,
        index=review_index,
        site=site,
        own_image=ImageFactory(uploaded_by_user=users["Editors"]),
        others_image=ImageFactory(),
        document=Document.objects.create(title="Press kit", file=ContentFile(b"kit", name="kit.txt")),
        critic=CriticFactory(),
        person=PersonFactory(),
        genre=GenreFactory(),
        link=link,
        program=link.program,
        comment=CommentFactory(review=review),
        vote=ReaderRating.objects.get(review=review),
        miss=SearchMiss.objects.create(query_string="zabriskie"),
        promotion=SearchPromotion.objects.create(query=Query.get("night"), page=review, sort_order=0),
        redirect=Redirect.objects.create(old_path="/old", redirect_link="https://example.com/"),
        collection=Collection.get_first_root_node().add_child(name="Press"),
        group=Group.objects.create(name="Interns"),
        user=UserFactory(),
    )


# Every URL a row stands for, and what reaching it looks like.
ROW_URLS = {
    WRITE: lambda w: [
        f"/admin/pages/{w.review.pk}/edit/",
        f"/admin/pages/add/blog/reviewpage/{w.index.pk}/",
        f"/admin/pages/{w.review.pk}/unpublish/",
    ],
    DELETE_PAGES: lambda w: [f"/admin/pages/{w.review.pk}/delete/", f"/admin/pages/{w.review.pk}/move/"],
    OWN_IMAGES: lambda w: [
        "/admin/images/add/",
        f"/admin/images/{w.own_image.pk}/",
        f"/admin/images/{w.own_image.pk}/delete/",
        f"/admin/images/multiple/{w.own_image.pk}/delete/",  # last: it deletes
    ],
    ANY_IMAGE: lambda w: [
        f"/admin/images/{w.others_image.pk}/",
        f"/admin/images/{w.others_image.pk}/delete/",
        f"/admin/images/multiple/{w.others_image.pk}/delete/",
    ],
    CHOOSE_DOCUMENTS: lambda w: ["/admin/documents/chooser/"],
    DOCUMENTS: lambda w: [
        "/admin/documents/add/",
        f"/admin/documents/edit/{w.document.pk}/",
        f"/admin/documents/delete/{w.document.pk}/",
        f"/admin/documents/multiple/{w.document.pk}/delete/",
    ],
    FILM_DATA: lambda w: [
        "/admin/snippets/blog/critic/add/",
        f"/admin/snippets/blog/critic/edit/{w.critic.pk}/",
        "/admin/snippets/blog/person/add/",
        f"/admin/snippets/blog/person/edit/{w.person.pk}/",
        f"/admin/snippets/blog/genre/edit/{w.genre.pk}/",
        "/admin/snippets/affiliates/affiliatelink/add/",
    ],
    DELETE_FILM_DATA: lambda w: [
        f"/admin/snippets/blog/critic/delete/{w.critic.pk}/",
        f"/admin/snippets/blog/person/delete/{w.person.pk}/",
        f"/admin/snippets/blog/genre/delete/{w.genre.pk}/",
    ],
    SEARCH: lambda w: [
        "/admin/searchpicks/add/",
        f"/admin/searchpicks/{w.promotion.query_id}/delete/",
        "/admin/search/misses/",
    ],
    COMMENTS: lambda w: [
        "/admin/snippets/comments/comment/",
        f"/admin/snippets/comments/comment/edit/{w.comment.pk}/",
        f"/admin/snippets/comments/comment/delete/{w.comment.pk}/",
    ],
    VOTES: lambda w: ["/admin/ratings/votes/", f"/admin/ratings/votes/delete/{w.vote.pk}/"],
    OWNERS: lambda w: [
        f"/admin/settings/core/siteidentity/{w.site.pk}/",
        "/admin/sites/",
        f"/admin/sites/delete/{w.site.pk}/",
        "/admin/users/",
        f"/admin/users/delete/{w.user.pk}/",
        f"/admin/groups/delete/{w.group.pk}/",
        f"/admin/collections/{w.collection.pk}/delete/",
        f"/admin/redirects/{w.redirect.pk}/delete/",
        "/admin/snippets/affiliates/affiliateprogram/add/",
        f"/admin/snippets/affiliates/affiliateprogram/delete/{w.program.pk}/",
        f"/admin/snippets/affiliates/affiliatelink/delete/{w.link.pk}/",
        f"/admin/search/misses/delete/{w.miss.pk}/",
    ],
}


def reaches(client, url):
    """True when the screen opens (or, for the upload screen's POST-only deletes, deletes);
    False when the admin refuses: 403, back to the dashboard with a message, or (collections
    outside the user's own) 404. A superuser reaches every one of these URLs (tested below)."""
    response = client.post(url) if "/multiple/" in url else client.get(url)
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403, 404), (url, response.status_code)
    if response.status_code == 302:
        assert "/login/" not in response["Location"], url
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_COLUMNS)
def test_the_readme_role_table_is_what_each_role_can_reach(client, admin_world, role):
    table = readme_role_table()
    assert set(table) == set(ROW_URLS), "a row of the README's role table and ROW_URLS differ"
    client.force_login(admin_world.users[role])
    wrong = []
    for row, urls in ROW_URLS.items():
        for url in urls(admin_world):
            if reaches(client, url) != table[row][role]:
                wrong.append(f"{role} {'cannot' if table[row][role] else 'can'} reach {url} ({row})")
    assert wrong == []


@pytest.mark.django_db
def test_a_superuser_reaches_every_url_of_the_table(client, admin_world):
    """So a refusal above is a refusal, not a mistyped URL."""
    client.force_login(SuperUserFactory())
    unreachable = [url for urls in ROW_URLS.values() for url in urls(admin_world) if not reaches(client, url)]
    assert unreachable == []


def admin_url_names(patterns, namespace=""):
    """Every named URL pattern in ``patterns``, as "namespace:name"."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from admin_url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name


# Delete URLs with no screen of their own to place in the table.
NOT_A_DELETE_SCREEN = {
    "wagtailforms:delete_submissions": "form submissions: Marquee has no form pages",
    "reader_rating_report:delete": "a review's vote totals: nobody deletes them (a test in test_ratings)",
    "wagtailimages:delete_upload_multiple": "an upload still in progress, only ever its uploader's",
    "wagtaildocs:delete_upload_multiple": "an upload still in progress, only ever its uploader's",
}


@pytest.mark.django_db
def test_every_delete_screen_the_admin_has_is_checked_under_a_row_of_the_table(admin_world):
    """So a new snippet or app's delete screen fails here until the README says who may use it."""
    deletes = {name for name in admin_url_names(get_resolver().url_patterns) if "delete" in name.rsplit(":", 1)[-1]}
    checked = {resolve(url).view_name for urls in ROW_URLS.values() for url in urls(admin_world)}
    assert deletes - set(NOT_A_DELETE_SCREEN) <= checked
    assert deletes >= set(NOT_A_DELETE_SCREEN)


@pytest.mark.django_db
def test_an_editor_cannot_delete_a_review_even_by_posting(client, admin_world):
    client.force_login(admin_world.users["Editors"])
    review = admin_world.review
    assert client.post(f"/admin/pages/{review.pk}/delete/").status_code in (302, 403)
    assert client.post(f"/admin/bulk/wagtailcore/page/delete/?id={review.pk}").status_code in (200, 302, 403)
    assert ReviewPage.objects.filter(pk=review.pk).exists()
    assert ReaderRating.objects.filter(review=review).exists()


@pytest.mark.django_db
def test_deleting_a_review_readers_left_votes_and_comments_on_names_them_first(client, admin_world):
    client.force_login(admin_world.users["Moderators"])
    review = admin_world.review
    url = f"/admin/pages/{review.pk}/delete/"

    asked = client.get(url)
    assert "Readers left 1 reader vote and 1 comment on this page" in asked.content.decode()
    assert client.post(url).status_code == 200  # Wagtail's own "Yes, delete it" still asks this first
    assert ReviewPage.objects.filter(pk=review.pk).exists()

    assert client.post(url, {"delete_reader_data": "yes"}).status_code == 302
    assert not ReviewPage.objects.filter(pk=review.pk).exists()
    assert not ReaderRating.objects.exists()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_bulk_deleting_reviews_names_the_readers_data_first(client, admin_world):
    client.force_login(admin_world.users["Moderators"])
    other = ReviewPageFactory(parent=admin_world.index)
    CommentFactory(review=other)
    url = f"/admin/bulk/wagtailcore/page/delete/?id={admin_world.review.pk}&id={other.pk}"

    asked = client.post(url)
    assert "Readers left 1 reader vote and 2 comments on these pages" in asked.content.decode()
    assert ReviewPage.objects.count() == 2

    client.post(url, {"delete_reader_data": "yes"})
    assert not ReviewPage.objects.exists()


@pytest.mark.django_db
def test_a_review_nobody_voted_on_or_commented_on_gets_wagtails_usual_confirmation(client, admin_world):
    client.force_login(admin_world.users["Moderators"])
    quiet = ReviewPageFactory(parent=admin_world.index)
    asked = client.get(f"/admin/pages/{quiet.pk}/delete/").content.decode()
    assert "Readers left" not in asked
    assert "Are you sure you want to delete this page?" in asked
    assert client.post(f"/admin/pages/{quiet.pk}/delete/").status_code == 302
    assert not ReviewPage.objects.filter(pk=quiet.pk).exists()
