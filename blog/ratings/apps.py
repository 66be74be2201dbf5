from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "blog.ratings"
    label = "ratings"
    verbose_name = "Reader ratings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's place for what needs the app registry: signal handlers, and the
        # readers' totals in the reviews' API fields (the review model cannot name
        # this app: it builds on the review).
        from wagtail.api import APIField

        from blog.models import ReviewPage

        from . import signals  # noqa: F401
        from .api_fields import ReadersField

        ReviewPage.api_fields = [*ReviewPage.api_fields, APIField("readers", serializer=ReadersField())]
