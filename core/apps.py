from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every other app builds on: the page base class and its cheap routing."""

    name = "core"
    verbose_name = "Core"
