from django.apps import AppConfig


class AffiliatesConfig(AppConfig):
    name = "blog.affiliates"
    label = "affiliates"
    verbose_name = "Affiliate links"
    default_auto_field = "django.db.models.BigAutoField"
