"""Permission rules Wagtail does not have: records the public creates, and who deletes pages."""

from wagtail.models import PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy

#: The model permission (Django's own, on Wagtail's Page) that deleting or moving a page takes.
DELETE_PAGES = "wagtailcore.delete_page"


class ModeratedPageDeletion(PagePermissionTester):
    """Wagtail's page permissions, except that deleting (and so moving) a page also takes DELETE_PAGES.

    Wagtail lets anyone who may edit and publish a page without children delete
    it, and has no page-delete permission to grant or withhold. A review takes
    its readers' votes and comments with it, so Marquee keeps deletion for
    Moderators: page types return this tester from ``permissions_for_user``,
    Wagtail's public hook for it, and Wagtail consults it everywhere (the page's
    actions, the delete view, bulk delete, move).
    """

    def can_delete(self, ignore_bulk=False):
        if self.user.is_active and not self.user.has_perm(DELETE_PAGES):
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)


class NoWritesPolicy(ModelPermissionPolicy):
    """For records the public creates (votes, search logs): the admin may view
    and delete them, never add or edit them, whatever a user's permissions say."""

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        return super().user_has_permission(user, action)


class ReadOnlyPolicy(NoWritesPolicy):
    """For figures the site keeps in step with other records (a review's vote totals): view only."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)
