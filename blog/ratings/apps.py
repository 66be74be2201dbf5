from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "blog.ratings"
    label = "ratings"
    verbose_name = "Reader ratings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
