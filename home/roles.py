"""The Editors and Moderators groups and what they may do.

``sync_roles`` runs after every ``migrate``: it creates the groups when they
are missing and grants the permissions below. It only ever adds, so a site
owner's extra grants survive. Later features add their permissions here.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

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

# Model permissions as "app_label.codename".
MODEL_PERMISSIONS = {
    "Editors": [
        "wagtailadmin.access_admin",
        "blog.add_person",
        "blog.change_person",
        "blog.add_genre",
        "blog.change_genre",
        "ratings.view_ratingsummary",
        "affiliates.add_affiliatelink",
        "affiliates.change_affiliatelink",
        "affiliates.view_affiliatelink",
        "affiliates.view_affiliateprogram",
        "wagtailsearchpromotions.add_searchpromotion",
        "wagtailsearchpromotions.change_searchpromotion",
        "wagtailsearchpromotions.delete_searchpromotion",
        "search.view_searchmiss",
    ],
    "Moderators": [
        "wagtailadmin.access_admin",
        "blog.add_person",
        "blog.change_person",
        "blog.delete_person",
        "blog.add_genre",
        "blog.change_genre",
        "blog.delete_genre",
        "ratings.view_ratingsummary",
        "ratings.view_readerrating",
        "ratings.delete_readerrating",
        "affiliates.add_affiliatelink",
        "affiliates.change_affiliatelink",
        "affiliates.view_affiliatelink",
        "affiliates.view_affiliateprogram",
        "comments.view_comment",
        "comments.change_comment",
        "comments.delete_comment",
    ],
}

APPS_WITH_PERMISSIONS = (
    "wagtailadmin",
    "wagtailcore",
    "wagtailimages",
    "blog",
    "home",
    "ratings",
    "affiliates",
    "comments",
    "search",
    "wagtailsearchpromotions",
)


def _permission(codename, app_label=None):
    queryset = Permission.objects.filter(codename=codename)
    if app_label:
        queryset = queryset.filter(content_type__app_label=app_label)
    return queryset.get()


@transaction.atomic
def sync_roles():
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name in PAGE_PERMISSIONS.keys() | MODEL_PERMISSIONS.keys():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in MODEL_PERMISSIONS.get(name, []):
            app_label, codename = dotted.split(".")
            group.permissions.add(_permission(codename, app_label))
        if root_page is not None:
            for codename in PAGE_PERMISSIONS.get(name, []):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=_permission(codename, "wagtailcore")
                )
        if root_collection is not None:
            for codename in COLLECTION_PERMISSIONS.get(name, []):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(codename, "wagtailimages")
                )


def sync_roles_after_migrate(sender, using="default", **kwargs):
    # post_migrate reaches this app before Django has created the permissions
    # of apps listed after it, so create those first.
    for label in APPS_WITH_PERMISSIONS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    sync_roles()
