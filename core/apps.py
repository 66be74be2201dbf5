from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter

from .url_converters import DatabaseIdConverter


class CoreConfig(AppConfig):
    """What every other app builds on: the page base, site identity, head tags, roles."""

    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Before any URLconf is read: the apps' patterns use <id:...>.
        register_converter(DatabaseIdConverter, "id")
        # Django's place for connecting signals: the module needs the app registry ready.
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="core.sync_roles")
