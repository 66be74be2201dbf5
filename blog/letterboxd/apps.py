from django.apps import AppConfig


class LetterboxdConfig(AppConfig):
    name = "blog.letterboxd"
    label = "letterboxd"
    verbose_name = "Letterboxd import"
