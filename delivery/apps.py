from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """How pages reach readers: cache headers, purging the caches in front, the health check."""

    name = "delivery"
    verbose_name = "Page delivery"

    def ready(self):
        from . import signals

        signals.connect()
