from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from blog.extensions import REVIEW_CONTEXT_HOOK
from core.roles import ROLE_PERMISSIONS_HOOK

from . import clicks, views
from .models import AffiliateLink, AffiliateProgram
from .where_to_watch import where_to_watch


class ProgramViewSet(SnippetViewSet):
    model = AffiliateProgram
    icon = "site"
    menu_label = _("Programs")
    list_display = ["name", "tracking_parameters", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class LinkChooserViewSet(SnippetChooserViewSet):
    # Editors can add a link from the review form without leaving it.
    form_fields = ["program", "product_url", "label", "format", "film"]
    create_action_label = _("Add affiliate link")


class LinkViewSet(SnippetViewSet):
    model = AffiliateLink
    icon = "link-external"
    menu_label = _("Links")
    list_display = ["film", "label", "program", "format"]
    list_filter = ["program", "format"]
    search_fields = ["film", "label"]
    chooser_viewset_class = LinkChooserViewSet


class AffiliateGroup(SnippetViewSetGroup):
    items = (LinkViewSet, ProgramViewSet)
    menu_icon = "link-external"
    menu_label = _("Affiliates")
    menu_name = "affiliates"
    menu_order = 300


register_snippet(AffiliateGroup)


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("reports/affiliate-clicks/", views.click_report, name="affiliate_click_report")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("affiliates.view_clickcount")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Affiliate clicks"), reverse("affiliate_click_report"), icon_name="link-external", order=720
    )


@hooks.register("register_permissions")
def register_click_permission():
    return Permission.objects.filter(content_type__app_label="affiliates", codename="view_clickcount")


class TopLinksPanel(Component):
    name = "affiliate_top_links"
    order = 150
    template_name = "affiliates/top_links_panel.html"

    def get_context_data(self, parent_context):
        return {"links": list(clicks.per_link(7)[:5]), "report_url": reverse("affiliate_click_report")}


@hooks.register("construct_homepage_panels")
def add_top_links_panel(request, panels):
    if request.user.has_perm("affiliates.view_clickcount"):
        panels.append(TopLinksPanel())


@hooks.register(ROLE_PERMISSIONS_HOOK)
def affiliate_permissions():
    """Editors and Moderators add and edit links under a review and see the programs; site owners run the programs."""
    links = [
        "affiliates.add_affiliatelink",
        "affiliates.change_affiliatelink",
        "affiliates.view_affiliatelink",
        "affiliates.view_affiliateprogram",
    ]
    return {"Editors": links, "Moderators": links}


hooks.register(REVIEW_CONTEXT_HOOK, where_to_watch)
