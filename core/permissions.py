"""Permission policies shared by apps whose records the public creates."""

from wagtail.permission_policies import ModelPermissionPolicy


class NoWritesPolicy(ModelPermissionPolicy):
    """For records the public creates (votes, search logs): the admin may view
    and delete them, never add or edit them, whatever a user's permissions say."""

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        return super().user_has_permission(user, action)
