"""The importers' shared ledger takes over the WordPress importer's own, so a site that imported before
updates on its next import instead of duplicating everything; and the Reviews-section migration."""

import pytest

from tests.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_wordpress_import_record_moves_to_the_shared_ledger_and_back(migrations_undone_after):
    old_apps = migrate([("imports", None), ("wordpress", "0001_initial")])
    old = old_apps.get_model("wordpress", "ImportedItem")
    old.objects.create(source="https://films.example.com", kind="post", wp_id=12, object_id=40, digest="a" * 64)
    old.objects.create(source="https://films.example.com", kind="comment", wp_id=7, object_id=3, digest="b" * 64)

    new_apps = migrate([("wordpress", "0002_delete_importeditem")])
    rows = new_apps.get_model("imports", "ImportedItem").objects.order_by("key")
    assert [(r.source, r.kind, r.key, r.object_id, r.digest) for r in rows] == [
        ("https://films.example.com", "post", "12", 40, "a" * 64),
        ("https://films.example.com", "comment", "7", 3, "b" * 64),
    ]

    back = migrate([("imports", None), ("wordpress", "0001_initial")])
    rows = back.get_model("wordpress", "ImportedItem").objects.order_by("wp_id")
    assert [(r.kind, r.wp_id, r.object_id) for r in rows] == [("comment", 7, 3), ("post", 12, 40)]


def test_the_reviews_section_migration_adds_one_after_the_home_pages_existing_children(
    home_page, migrations_undone_after
):
    apps = migrate([("home", "0007_settings_by_concern")])
    reviews = apps.get_model("blog", "ReviewIndexPage")
    reviews.objects.all().delete()
    page = apps.get_model("wagtailcore", "Page")
    home = page.objects.get(pk=home_page.pk)
    page.objects.filter(pk=home.pk).update(numchild=0)
    existing = page.objects.create(
        title="About",
        slug="about",
        path=home.path + "0003",
        depth=home.depth + 1,
        url_path="/home/about/",
        locale_id=home.locale_id,
        content_type_id=home.content_type_id,
        live=True,
        numchild=0,
    )
    page.objects.filter(pk=home.pk).update(numchild=1)

    apps = migrate([("home", "0008_reviews_section")])
    index = apps.get_model("blog", "ReviewIndexPage").objects.get()
    assert (index.path, index.url_path, index.live) == (home.path + "0004", "/home/reviews/", True)
    assert apps.get_model("wagtailcore", "Page").objects.get(pk=home.pk).numchild == 2
    assert existing.pk
