from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.roles import ROLE_PERMISSIONS_HOOK

from . import review_deletion
from .models import Genre, Person

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


@hooks.register(ROLE_PERMISSIONS_HOOK)
def film_data_permissions():
    """Editors add and correct people and genres; Moderators may also delete them."""
    editing = ["blog.add_person", "blog.change_person", "blog.add_genre", "blog.change_genre"]
    return {"Editors": editing, "Moderators": [*editing, "blog.delete_person", "blog.delete_genre"]}
