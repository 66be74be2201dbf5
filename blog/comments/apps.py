from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "blog.comments"
    label = "comments"
    verbose_name = "Reader comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
