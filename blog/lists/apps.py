from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "blog.lists"
    label = "lists"
    verbose_name = "Ranked lists"
    default_auto_field = "django.db.models.BigAutoField"
