"""The Editors and Moderators groups, and what each app lets them do.

Apps grant their own permissions with a Wagtail hook named ``ROLE_PERMISSIONS_HOOK``
in their ``wagtail_hooks.py``, returning ``{"Editors": ["app_label.codename", ...]}``.
So a new snippet's app says who may edit it, and no other app changes. The page
and image permissions every publication needs are granted here.

``sync_roles`` runs after every ``migrate``: it creates the groups when they are
missing and grants what the hooks list. It only ever adds, so a site owner's
extra grants survive.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail import hooks
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

ROLE_PERMISSIONS_HOOK = "marquee_role_permissions"
ROLES = ("Editors", "Moderators")

# Page permissions, granted on the root page so they cover the whole tree.
PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page", "publish_page"],
    "Moderators": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

# Image permissions, granted on the root collection.
COLLECTION_PERMISSIONS = {
    "Editors": ["add_image", "change_image", "choose_image"],
    "Moderators": ["choose_image"],
}


@hooks.register(ROLE_PERMISSIONS_HOOK)
def admin_access():
    return {role: ["wagtailadmin.access_admin"] for role in ROLES}


def model_permissions():
    """``{group name: {"app_label.codename", ...}}`` from every app's hook."""
    granted = {role: set() for role in ROLES}
    for grant in hooks.get_hooks(ROLE_PERMISSIONS_HOOK):
        for role, permissions in grant().items():
            granted.setdefault(role, set()).update(permissions)
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
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(codename, "wagtailimages")
                )


def sync_roles_after_migrate(sender, using="default", **kwargs):
    # post_migrate reaches this app before Django has created the permissions
    # of the apps listed after it, so create those first.
    labels = {dotted.split(".")[0] for granted in model_permissions().values() for dotted in granted}
    for label in sorted(labels | {"wagtailcore", "wagtailimages"}):
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    sync_roles()
