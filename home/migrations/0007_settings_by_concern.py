"""Site settings split by concern: every value moves to its new home, none is lost.

Site identity (tagline, copyright, social links, default share image) goes to
``core.SiteIdentity``; comments to ``comments.CommentSettings``; the feeds' full
text to ``blog.FeedSettings``; the affiliate disclosure to
``affiliates.AffiliateSettings``. Reversing moves them back.
"""

import django.db.models.deletion
from django.db import migrations, models

IDENTITY = ("tagline", "copyright_holder", "copyright_start_year", "social_links", "default_social_image_id")
COMMENTS = ("auto_approve_known_commenters", "close_comments_after_days")
# (app label, model, {old field: new field})
SPLIT = [
    ("core", "SiteIdentity", {name: name for name in IDENTITY}),
    ("comments", "CommentSettings", {name: name for name in COMMENTS}),
    ("blog", "FeedSettings", {"feed_full_text": "full_text"}),
    ("affiliates", "AffiliateSettings", {"affiliate_disclosure": "disclosure"}),
]


def split_settings(apps, schema_editor):
    for old in apps.get_model("home", "SiteSettings").objects.all():
        for app_label, model_name, fields in SPLIT:
            apps.get_model(app_label, model_name).objects.update_or_create(
                site_id=old.site_id, defaults={new: getattr(old, name) for name, new in fields.items()}
            )


def join_settings(apps, schema_editor):
    SiteSettings = apps.get_model("home", "SiteSettings")
    for app_label, model_name, fields in SPLIT:
        for new_settings in apps.get_model(app_label, model_name).objects.all():
            SiteSettings.objects.update_or_create(
                site_id=new_settings.site_id,
                defaults={name: getattr(new_settings, new) for name, new in fields.items()},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_social_sharing"),
        ("wagtailimages", "0027_image_description"),
        ("core", "0002_site_identity"),
        ("comments", "0002_comment_settings"),
        ("affiliates", "0003_affiliate_settings"),
        ("blog", "0005_feed_settings_and_review_index_share_card"),
    ]

    operations = [
        migrations.AddField(
            model_name="homepage",
            name="social_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown when the page is shared; cropped to 1200×630. Empty: the main image.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
            ),
        ),
        migrations.AddField(
            model_name="homepage",
            name="social_text",
            field=models.CharField(
                blank=True,
                help_text="The text of the card when the page is shared. Empty: the search description or standfirst.",
                max_length=200,
                verbose_name="social description",
            ),
        ),
        migrations.RunPython(split_settings, join_settings),
        migrations.DeleteModel(name="SiteSettings"),
    ]
