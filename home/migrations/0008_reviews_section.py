"""A new site's Reviews section: ``migrate`` alone gives Home and Reviews, ready for content or an import.

Written with the historical models, as a data migration must be, so the page's
tree position (treebeard's ``path``) is worked out here: the home page's next
free child path. Sites that already have a Reviews section are left alone.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, four characters a level
STEP = 4


def next_child_path(parent, last_child_path):
    if last_child_path is None:
        return parent.path + "0001"
    number = int(last_child_path[-STEP:], 36) + 1
    step = ""
    for _ in range(STEP):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step


def create_reviews_section(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    ContentType = apps.get_model("contenttypes.ContentType")
    ReviewIndexPage = apps.get_model("blog.ReviewIndexPage")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or ReviewIndexPage.objects.exists():
        return
    home = Page.objects.get(pk=site.root_page_id)
    last = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path").first()
    if Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug="reviews").exists():
        return  # an editor's own page holds the address; the importers make the section when they need it
    page_type, _ = ContentType.objects.get_or_create(app_label="blog", model="reviewindexpage")
    ReviewIndexPage.objects.create(
        title="Reviews",
        draft_title="Reviews",
        slug="reviews",
        content_type=page_type,
        path=next_child_path(home, last.path if last else None),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}reviews/",
        live=True,
        show_in_menus=True,
        locale_id=home.locale_id,
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


def remove_reviews_section(apps, schema_editor):
    """Reversing removes the section only while it is the empty one this migration made."""
    Page = apps.get_model("wagtailcore.Page")
    ReviewIndexPage = apps.get_model("blog.ReviewIndexPage")
    for index in ReviewIndexPage.objects.filter(slug="reviews", numchild=0, intro=""):
        parent = Page.objects.get(path=index.path[:-STEP])
        index.delete()
        Page.objects.filter(pk=parent.pk).update(numchild=max(parent.numchild - 1, 0))


class Migration(migrations.Migration):
    dependencies = [("home", "0007_settings_by_concern"), ("blog", "0005_feed_settings_and_review_index_share_card")]
    operations = [migrations.RunPython(create_reviews_section, remove_reviews_section)]
