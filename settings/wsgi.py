import os

from django.core.wsgi import get_wsgi_application

from core.request_checks import require_host

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")

application = require_host(get_wsgi_application())
