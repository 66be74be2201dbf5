"""Settings shared by every environment.

Everything that differs between machines is read from the environment; see the
README's "Configuration" table for the variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "delivery",
    "bench",  # manage.py seed_bench
    "home",
    "blog",
    "blog.ratings",
    "blog.imports",
    "blog.wordpress",
    "blog.letterboxd",
    "blog.affiliates",
    "blog.comments",
    "blog.lists",
    # Not "wagtail.contrib.frontend_cache": its backends and purge task are used
    # by delivery/, whose one rule already purges a page on publish; the app
    # itself would only add a second purge of the same URL.
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.api.v2",
    "rest_framework",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Lets `runserver` hand static files to WhiteNoise too, so development
    # serves them exactly as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Says who may keep each response (a CDN or Varnish in front); outermost, so
    # its freshness check is the last thing before the response leaves.
    "delivery.cache_control.CacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers load balancers before anything looks at the Host header, with the
    # same security headers as every page (none of the four above reads the host).
    "delivery.health.HealthCheckMiddleware",
    # A NUL byte in a path, parameter, form field or cookie: 400, before any view.
    "core.request_checks.RefuseUnstorableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML, JSON and feeds; WhiteNoise already compressed the static files.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "settings.urls"
WSGI_APPLICATION = "settings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: an SQLite file in the project unless DATABASE_URL says otherwise
# (postgres://user:password@host:5432/name in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any plan it estimates as expensive, which cost
    # 75 ms on a 5 ms related-reviews query: it only pays for long analytical
    # queries, never for a page's.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Parameters bound on the server, and statements prepared once a connection
    # has run them twice: PostgreSQL then plans a page's queries once per
    # connection instead of on every request (planning was most of their time).
    # A transaction-mode pooler (PgBouncer before 1.21) cannot keep prepared
    # statements: DB_PREPARE_THRESHOLD=0 turns them off.
    prepare_threshold = int(os.environ.get("DB_PREPARE_THRESHOLD", "2"))
    if prepare_threshold > 0:
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=prepare_threshold)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # More than one process writes to the file (`make run`'s dev server and
    # scheduler; the production-stack tests). A transaction that reads before it
    # writes fails at once with "database is locked" when another holds the write
    # lock; IMMEDIATE transactions take that lock first and wait their turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, process-local memory otherwise. With
# Redis, a failing or missing server is logged and treated as a cache miss, so
# the site keeps serving (uncached) while Redis is down.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "marquee"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions read from Redis, written through to the database: nothing is
    # lost if Redis restarts, and logins keep working while it is down.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "marquee",
        }
    }

# Public pages are cached by the CDN or Varnish in front (delivery/): kept up to
# CACHE_SHARED_SECONDS and purged whenever what they show changes; served stale
# while refetched, and for CACHE_STALE_IF_ERROR_SECONDS while the app is down.
# Browsers revalidate every time (they cannot be purged).
CACHE_SHARED_SECONDS = int(os.environ.get("CACHE_SHARED_SECONDS", str(24 * 3600)))
CACHE_STALE_WHILE_REVALIDATE_SECONDS = int(os.environ.get("CACHE_STALE_WHILE_REVALIDATE_SECONDS", "30"))
CACHE_STALE_IF_ERROR_SECONDS = int(os.environ.get("CACHE_STALE_IF_ERROR_SECONDS", str(24 * 3600)))
CACHE_BROWSER_SECONDS = int(os.environ.get("CACHE_BROWSER_SECONDS", "0"))
# After a vote or a comment the review is purged at once; the listings showing
# its totals and counts within this many seconds (with the database task queue).
LISTING_PURGE_DELAY = int(os.environ.get("LISTING_PURGE_DELAY", "30"))
# Every purge is sent again this long after the first (delivery/purging.py).
PURGE_SETTLE_SECONDS = float(os.environ.get("PURGE_SETTLE_SECONDS", "0.1"))

# The caches in front that delivery/ purges (Wagtail's frontend-cache backends):
# Varnish (delivery/varnish/marquee.vcl: PURGE from the app's own address) or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
    }

# Background tasks (search indexing, the reference index, cache purges, file
# clean-up): run at once unless TASKS_BACKEND=database, which queues them in
# the database for `manage.py db_worker` to run.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("TASKS_BACKEND") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# Scheduled publishing: `manage.py run_scheduler` publishes and expires pages
# whose time has come, a pass every this many seconds (core.scheduling).
SCHEDULER_INTERVAL = float(os.environ.get("SCHEDULER_INTERVAL", "30"))

# Mail: every message is queued as a task (core.mail) and sent by
# EMAIL_DELIVERY_BACKEND, retried after each of these delays (seconds) while
# the mail server is unreachable; about eight and a half hours in all.
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get("EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files are always served by WhiteNoise, whatever DEBUG says.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
# Serve uploads from Django itself (single-server installs). Turn off when a
# web server or object storage serves MEDIA_URL.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded images, their renditions and documents on S3-compatible object
# storage (AWS S3, MinIO, Ceph…) when a bucket is named: no app server then
# keeps anything on its own disk.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Public files at stable addresses, cacheable by browsers and CDNs.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    SERVE_MEDIA = False

# Complex page forms exceed Django's default of 1000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request bodies other than file uploads: larger ones get a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security headers. The content-security policy allows this site's own
# scripts, styles, images and fonts, and the two privacy-enhanced trailer
# players, and nothing else. The Wagtail admin (inline scripts) is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env_list("CSP_IMG_SRC")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # Only the site itself may frame its pages: Wagtail's preview panel.
        "frame-ancestors": ["'self'"],
    },
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    # The trailer players may go full screen.
    "fullscreen": ["self", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
}
if AWS_STORAGE_BUCKET_NAME:
    # Images then come from the object store's own address.
    _media = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or os.environ.get("AWS_S3_ENDPOINT_URL") or "*.amazonaws.com"
    _media = _media if "://" in _media else f"https://{_media}"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append("/".join(_media.split("/")[:3]))
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Older browsers: no framing at all (Wagtail's preview views allow their own
# same-origin frame); current ones follow the CSP's frame-ancestors above.
X_FRAME_OPTIONS = "DENY"

# Wagtail
WAGTAIL_SITE_NAME = "Marquee"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Search: the database (PostgreSQL full-text search in production) unless an
# Elasticsearch or OpenSearch server is named.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if os.environ.get("ELASTICSEARCH_URL"):
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": os.environ.get("ELASTICSEARCH_BACKEND", "wagtail.search.backends.elasticsearch8"),
        "URLS": env_list("ELASTICSEARCH_URL"),
        "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "marquee"),
        "TIMEOUT": 5,
    }
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.image_forms.ImageForm"  # truncated files: a form error
# Refuses decompression bombs: a small file that would unpack to a huge bitmap.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILAPI_LIMIT_MAX = 50

# The rich-text features editors get in review and page bodies. Headings and
# images have blocks of their own, so they are not offered inside paragraphs.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["bold", "italic", "link", "document-link", "ol", "ul"]},
    }
}

# Reader ratings: new votes one address may cast on one review per window.
READER_RATING_IP_LIMIT = int(os.environ.get("READER_RATING_IP_LIMIT", "5"))
READER_RATING_IP_WINDOW = int(os.environ.get("READER_RATING_IP_WINDOW", "3600"))
# Reverse proxies in front of the app (for the reader's address in X-Forwarded-For).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Comments: new comments one address may post per window; more links than this are held.
COMMENT_RATE_LIMIT = int(os.environ.get("COMMENT_RATE_LIMIT", "5"))
COMMENT_RATE_WINDOW = int(os.environ.get("COMMENT_RATE_WINDOW", "600"))
COMMENT_MAX_LINKS = int(os.environ.get("COMMENT_MAX_LINKS", "2"))

# The page type a WordPress import makes of WordPress pages (About, Contact), under the site's root.
WORDPRESS_PAGE_MODEL = "home.ContentPage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Background tasks run inline in development; their start/finish lines are noise.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}


def require_env(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The {name} environment variable must be set.")
    return value
