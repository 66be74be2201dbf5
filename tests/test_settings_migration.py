"""The split of the old Site settings into four keeps every value a site owner stored."""

import pytest

from tests.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("home", "0006_social_sharing")]
AFTER = [("home", "0007_settings_by_concern")]


def test_every_stored_value_moves_to_its_new_settings_and_back(home_page, migrations_undone_after):
    site = home_page.get_site()
    old_apps = migrate(BEFORE)
    image = old_apps.get_model("wagtailimages", "Image").objects.create(
        title="Card", file="original_images/card.jpg", width=1200, height=630
    )
    old_apps.get_model("home", "SiteSettings").objects.update_or_create(
        site_id=site.pk,
        defaults={
            "tagline": "Films, seen properly",
            "copyright_holder": "Morgan Reed",
            "copyright_start_year": 2009,
            "social_links": [
                {"type": "link", "value": {"platform": "bluesky", "url": "https://bsky.app/", "label": ""}}
            ],
            "default_social_image_id": image.pk,
            "auto_approve_known_commenters": True,
            "close_comments_after_days": 30,
            "feed_full_text": True,
            "affiliate_disclosure": "We earn a commission.",
        },
    )

    new_apps = migrate(AFTER)
    identity = new_apps.get_model("core", "SiteIdentity").objects.get(site_id=site.pk)
    assert (identity.tagline, identity.copyright_holder, identity.copyright_start_year) == (
        "Films, seen properly",
        "Morgan Reed",
        2009,
    )
    assert identity.default_social_image_id == image.pk
    assert identity.social_links.raw_data[0]["value"]["platform"] == "bluesky"
    comments = new_apps.get_model("comments", "CommentSettings").objects.get(site_id=site.pk)
    assert (comments.auto_approve_known_commenters, comments.close_comments_after_days) == (True, 30)
    assert new_apps.get_model("blog", "FeedSettings").objects.get(site_id=site.pk).full_text is True
    disclosure = new_apps.get_model("affiliates", "AffiliateSettings").objects.get(site_id=site.pk).disclosure
    assert disclosure == "We earn a commission."

    old_apps = migrate(BEFORE)
    restored = old_apps.get_model("home", "SiteSettings").objects.get(site_id=site.pk)
    assert (restored.tagline, restored.close_comments_after_days, restored.feed_full_text) == (
        "Films, seen properly",
        30,
        True,
    )
    assert restored.affiliate_disclosure == "We earn a commission."
