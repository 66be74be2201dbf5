from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.roles import ROLE_PERMISSIONS_HOOK

from . import review_deletion
from .calendar_admin import ThisWeekPanel, calendar_report
from .models import Critic, Genre, Person

hooks.register("before_delete_page", review_deletion.before_delete_page)
hooks.register("before_bulk_action", review_deletion.before_bulk_action)


class PersonChooserViewSet(SnippetChooserViewSet):
    # A "Create" tab in the chooser, so an editor can add a new director or
    # actor without leaving the review.
    form_fields = ["name"]
    create_action_label = _("Add person")


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
    chooser_viewset_class = PersonChooserViewSet


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "tag"
    menu_label = _("Genres")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class FilmDataGroup(SnippetViewSetGroup):
    items = (PersonViewSet, GenreViewSet)
    menu_icon = "media"
    menu_label = _("Film data")
    menu_name = "film-data"


register_snippet(FilmDataGroup)


class CriticChooserViewSet(SnippetChooserViewSet):
    # A guest critic needs only a name: added from the review form's chooser.
    form_fields = ["name"]
    create_action_label = _("Add critic")


class CriticViewSet(SnippetViewSet):
    model = Critic
    icon = "user"
    menu_label = _("Critics")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    ordering = ["name"]
    chooser_viewset_class = CriticChooserViewSet


register_snippet(CriticViewSet)


@hooks.register(ROLE_PERMISSIONS_HOOK)
def film_data_permissions():
    """Editors add and correct people, genres and critics; Moderators may also delete them."""
    editing = [f"blog.{action}_{model}" for model in ("person", "genre", "critic") for action in ("add", "change")]
    deleting = ["blog.delete_person", "blog.delete_genre", "blog.delete_critic"]
    return {"Editors": editing, "Moderators": [*editing, *deleting]}


@hooks.register("register_admin_urls")
def register_calendar_url():
    return [path("reports/editorial-calendar/", calendar_report, name="editorial_calendar")]


@hooks.register("register_reports_menu_item")
def register_calendar_menu_item():
    return MenuItem(_("Editorial calendar"), reverse("editorial_calendar"), icon_name="date", order=50)


@hooks.register("construct_homepage_panels")
def add_this_week_panel(request, panels):
    panels.append(ThisWeekPanel())
