from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's data: ``manage.py seed_bench`` (the load benchmark itself is ``bench/run``)."""

    name = "bench"
    verbose_name = "Benchmark data"
