"""Comment moderation in the admin: the queue, bulk approve/spam/delete, a dashboard panel."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from blog.extensions import REVIEW_CARD_ANNOTATIONS_HOOK, REVIEW_CONTEXT_HOOK, REVIEW_READER_DATA_HOOK
from core.roles import ROLE_PERMISSIONS_HOOK

from .models import Comment
from .threads import comment_context


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["__str__", "review", "status", "created_at"]
    list_filter = {"status": ["exact"], "review": ["exact"], "created_at": ["gte", "lte"]}
    search_fields = ["text", "name", "email"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["name", "email", "website", "text", "review", "parent", "status", "created_at"]

    def get_queryset(self, request):
        return Comment.objects.select_related("review")


register_snippet(CommentViewSet)


class SetStatusBulkAction(SnippetBulkAction):
    models = [Comment]
    template_name = "comments/admin/confirm_bulk_status.html"
    status = None

    def check_perm(self, comment):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", comment)

    def get_execution_context(self):
        return {"status": self.status}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_title": self.display_name}

    @classmethod
    def execute_action(cls, objects, status=None, **kwargs):
        changed = 0
        for comment in objects:  # save() per comment, so each review's page is refreshed
            if comment.status != status:
                comment.status = status
                comment.save(update_fields=["status"])
                changed += 1
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d comment updated.", "%(count)d comments updated.", num_parent_objects) % {
            "count": num_parent_objects
        }


@hooks.register("register_bulk_action")
class ApproveBulkAction(SetStatusBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve selected comments")
    action_priority = 10
    status = Comment.Status.APPROVED


@hooks.register("register_bulk_action")
class SpamBulkAction(SetStatusBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark selected comments as spam")
    action_priority = 20
    status = Comment.Status.SPAM


class PendingCommentsPanel(Component):
    name = "pending_comments"
    order = 90
    template_name = "comments/admin/pending_panel.html"

    def get_context_data(self, parent_context):
        index = reverse(Comment.snippet_viewset.get_url_name("list"))
        return {"pending": Comment.objects.pending().count(), "queue_url": f"{index}?status=pending"}


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels):
    if request.user.has_perm("comments.change_comment"):
        panels.append(PendingCommentsPanel())


@hooks.register(ROLE_PERMISSIONS_HOOK)
def moderation_permissions():
    """Moderators approve, edit and remove readers' comments."""
    return {"Moderators": ["comments.view_comment", "comments.change_comment", "comments.delete_comment"]}


@hooks.register(REVIEW_CONTEXT_HOOK)
def review_comments(review, request):
    return comment_context(request, review)


@hooks.register(REVIEW_CARD_ANNOTATIONS_HOOK)
def approved_comment_count():
    """How many approved comments each card's review has (a correlated subquery: a listing's COUNT leaves it out)."""
    approved = (
        Comment.objects.approved()
        .filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {"approved_comment_count": Coalesce(Subquery(approved), 0)}


@hooks.register(REVIEW_READER_DATA_HOOK)
def comments_lost(review_ids):
    """Every comment goes with its review, whatever its status."""
    count = Comment.objects.filter(review_id__in=review_ids).count()
    return ngettext("%(n)d comment", "%(n)d comments", count) % {"n": count} if count else None
