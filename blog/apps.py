from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Reviews"
    default_auto_field = "django.db.models.BigAutoField"
