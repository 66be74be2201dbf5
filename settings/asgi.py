"""The production entry point: `gunicorn -c gunicorn.conf.py settings.asgi` (gunicorn's asyncio worker).

Page-cache hits are answered on the event loop without entering Django
(home.pagefront.CachedPagesFirst); everything else runs Django's ordinary WSGI
handler in one thread per worker, exactly as under a sync worker: Django's
code never runs two requests at once in a process, so there is no GIL contest,
and the database connection stays with that thread (persistent connections).
"""

import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")

django_application = get_wsgi_application()

from home.pagefront import CachedPagesFirst  # noqa: E402 - needs Django set up

application = CachedPagesFirst(WSGIMiddleware(django_application, workers=1))
