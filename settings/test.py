import tempfile

from .base import *  # noqa: F403
from .base import os

DEBUG = False
SECRET_KEY = "marquee-test-secret-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Uploaded and generated images go to a throwaway folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="marquee-test-media-")
STATIC_ROOT = os.path.join(tempfile.gettempdir(), "marquee-test-static")
# Tests render templates straight from the source tree; no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_USE_FINDERS = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The test database is SQLite's shared in-memory one, where a lock another
    # connection holds (the browser tests' live server) fails at once with "table
    # is locked" whatever the timeout: IMMEDIATE transactions would only take
    # locks earlier. Tests that run several writing processes use a file.
    DATABASES["default"]["OPTIONS"].pop("transaction_mode", None)  # noqa: F405
