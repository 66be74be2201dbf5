"""gunicorn settings for Marquee: `gunicorn -c gunicorn.conf.py settings.wsgi`, behind Varnish.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS works too).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: Varnish in front buffers slow clients and answers cached pages,
# so each worker only ever renders, one request at a time.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the app once, before forking: faster starts and shared memory.
preload_app = True
# Recycle workers now and then, so slow leaks in any library cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5  # Varnish keeps its backend connections open
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's advice, not a temp file

# Refuse oversized requests before Django sees them (answered with 4xx).
limit_request_line = 4094  # the request line: method, URL and protocol
limit_request_fields = 100  # number of headers
limit_request_field_size = 8190  # bytes per header

# X-Forwarded-* are trusted only from the proxy in front (NUM_PROXIES in Django).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
