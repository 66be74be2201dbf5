"""Take back the grants Wagtail's own migrations give its default Editors group.

Wagtail creates "Editors" with permission to change any image and to add,
change and delete documents, on the root collection, plus model permissions on
images and documents that Wagtail's collection-based checks never read. In
Marquee, Editors upload images (and so edit and delete their own) and choose
documents; Moderators do the rest (core.roles, the README's role table).
``sync_roles`` only adds, so this is where they are removed, once.
"""

from django.db import migrations

EDITORS_LOSE_ON_COLLECTIONS = ["change_image", "add_document", "change_document"]


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    GroupCollectionPermission.objects.filter(
        group=editors, permission__codename__in=EDITORS_LOSE_ON_COLLECTIONS
    ).delete()
    unused = editors.permissions.filter(content_type__app_label__in=["wagtailimages", "wagtaildocs"])
    editors.permissions.remove(*unused)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_site_identity"),
        # After every migration of Wagtail's that grants these.
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(take_back, migrations.RunPython.noop)]
