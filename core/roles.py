"""The Editors and Moderators groups, and what each app lets them do (the README's role table).

Apps grant their own permissions with a Wagtail hook named ``ROLE_PERMISSIONS_HOOK``
in their ``wagtail_hooks.py``, returning ``{"Editors": ["app_label.codename", ...]}``.
So a new snippet's app says who may edit it, and no other app changes. The page,
image and document permissions every publication needs are granted here.
Moderators hold everything Editors do, and more: deleting pages, anyone's
images and documents, people and genres; moderating comments and votes.

``sync_roles`` runs after every ``migrate``: it creates the groups when they are
missing and grants what the hooks list. It only ever adds, so a site owner's
extra grants survive. (Migration ``core.0003`` took back the image, document
and delete grants Wagtail's own migrations give its default Editors group.)
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail import hooks
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .permissions import DELETE_PAGES

ROLE_PERMISSIONS_HOOK = "marquee_role_permissions"
ROLES = ("Editors", "Moderators")

# Page permissions, granted on the root page so they cover the whole tree.
PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page", "publish_page"],
    "Moderators": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

# Image and document permissions, granted on the root collection. With "add"
# alone, Wagtail lets a user edit and delete only the images they uploaded.
COLLECTION_PERMISSIONS = {
    "Editors": ["add_image", "choose_image", "choose_document"],
    "Moderators": ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
}


@hooks.register(ROLE_PERMISSIONS_HOOK)
def admin_access():
    """Both roles use the admin; only Moderators delete (and so move) pages."""
    return {"Editors": ["wagtailadmin.access_admin"], "Moderators": ["wagtailadmin.access_admin", DELETE_PAGES]}


@hooks.register("register_permissions")
def page_deletion_permission():
    """Show DELETE_PAGES in the group editor, so a site owner can see and change who deletes pages."""
    app_label, codename = DELETE_PAGES.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


def model_permissions():
    """``{group name: {"app_label.codename", ...}}`` from every app's hook; Moderators get the Editors' too."""
    granted = {role: set() for role in ROLES}
    for grant in hooks.get_hooks(ROLE_PERMISSIONS_HOOK):
        for role, permissions in grant().items():
            granted.setdefault(role, set()).update(permissions)
    granted["Moderators"] |= granted["Editors"]
    return granted


def permission(codename, app_label):
    return Permission.objects.get(codename=codename, content_type__app_label=app_label)


@transaction.atomic
def sync_roles():
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name, dotted_permissions in model_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in sorted(dotted_permissions):
            app_label, codename = dotted.split(".")
            group.permissions.add(permission(codename, app_label))
        if root_page is not None:
            for codename in PAGE_PERMISSIONS.get(name, []):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission(codename, "wagtailcore")
                )
        if root_collection is not None:
            for codename in COLLECTION_PERMISSIONS.get(name, []):
                app_label = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(codename, app_label)
                )


def sync_roles_after_migrate(sender, using="default", **kwargs):
    # post_migrate reaches this app before Django has created the permissions
    # of the apps listed after it, so create those first.
    labels = {dotted.split(".")[0] for granted in model_permissions().values() for dotted in granted}
    for label in sorted(labels | {"wagtailcore", "wagtailimages", "wagtaildocs"}):
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    sync_roles()
