"""Hostile values sent to every route the site has: a 4xx or an ordinary page, never a 5xx.

The routes come from the URL resolver, and the API's parameters from each
endpoint's own known parameters and filter fields, so a new route or field is
covered without touching this file. A route the resolver cannot build a URL for
(no name) fails the test until it is given one or listed in UNNAMED_ROUTES.
"""

from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter
from wagtail.api.v2.views import BaseAPIViewSet

from blog.affiliates.factories import AffiliateLinkFactory
from blog.comments.factories import CommentFactory
from blog.factories import GenreFactory, PersonFactory, ReviewPageFactory
from blog.models import ReviewPage
from core.factories import ImageFactory, SuperUserFactory

# (label, raw query-string value): sent as given, so %-junk arrives as junk.
HOSTILE = [
    ("NUL", "a%00b"),
    ("lone surrogate", "%ED%A0%80"),
    ("invalid UTF-8", "%FF%FE"),
    ("10 KB", "x" * 10_240),
    ("10**30", "1" + "0" * 30),
    ("negative", "-1"),
    ("float", "1.5"),
    ("exponent", "1e309"),
    ("%-junk", "%zz%"),
    ("markup", quote("<script>'\"--;")),
    ("empty", ""),
]
# Path segments: what each converter lets through to the view.
PATH_VALUES = {
    IntConverter: ["0", "1" + "0" * 30],
    SlugConverter: ["x" * 10_240, "-"],
    StringConverter: ["x" * 10_240, "%00", "%ED%A0%80", "%zz"],
    PathConverter: ["x" * 10_240, "%00", "..%2F..%2Fetc%2Fpasswd", "%ED%A0%80/"],
}
# Parameters the site's own views read (listings, search, forms, reports).
SITE_PARAMETERS = ["page", "p", "q", "value", "reply_to", "ordering", "sort", "days", "next", "format", "id"]
UNNAMED_ROUTES = {
    # Django's static/media file view, mounted only with DEBUG.
    r"^media/(?P<path>.*)$": "/media/{}",
    # Wagtail's admin catch-all, which answers unknown admin addresses with its 404 page.
    r"admin/^.*/$": "/admin/{}/",
}

# Routes whose whole job is to fail.
DELIBERATE_ERRORS = {"wagtailadmin_error_test": "Wagtail's /admin/failwhale/ raises on purpose, to test error reports"}


def routes(patterns=None, namespace="", prefix=""):
    """(name or None, URLPattern, full pattern text) for every route, admin and API included."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        else:
            yield (namespace + pattern.name if pattern.name else None), pattern, prefix + str(pattern.pattern)


def values_for(converter):
    """The hostile path values for a converter (or the one it extends)."""
    return next(values for kind, values in PATH_VALUES.items() if issubclass(converter, kind))


def path_parameters(pattern):
    """{name or position: converter class} for a route's own parameters; regex groups count as strings."""
    converters = getattr(pattern.pattern, "converters", {})
    if converters:
        return {name: type(converter) for name, converter in converters.items()}
    regex = pattern.pattern.regex
    return dict.fromkeys(regex.groupindex or range(regex.groups), StringConverter)


@pytest.fixture
def site(review_index):
    review = ReviewPageFactory(parent=review_index, title="Dear Comrades!", tags=["soviet"])
    CommentFactory(review=review)
    person = PersonFactory()
    genre = GenreFactory()
    return {
        "review_id": review.pk,
        "pk": review.pk,
        "page_id": review.pk,
        "link_id": AffiliateLinkFactory().pk,
        "image_id": ImageFactory().pk,
        "slug": person.slug,
        "genre": genre.slug,
        "year": "2020",
        "month": "6",
        "decade": "1990",
        "stars": "4",
        "letter": "d",
        # Positional parameters, by route name: Wagtail's page route takes a page's path.
        "wagtail_serve": [review.url.lstrip("/")],
    }


def sample_urls(name, pattern, text, real):
    """The route's URL with real values, then with each hostile value in each of its path parameters."""
    if name is None and not path_parameters(pattern) and "^" not in text:
        return ["/" + text]  # a fixed address
    if name is None:
        template = UNNAMED_ROUTES.get(text)
        assert template is not None, f"route {text!r} has no name: name it, or add it to UNNAMED_ROUTES"
        return [template.format(value) for value in PATH_VALUES[PathConverter]]
    parameters = path_parameters(pattern)
    positional = real.get(name, ["1"] * len(parameters))
    base = {key: str(positional[key] if isinstance(key, int) else real.get(key, "1")) for key in parameters}
    urls = []
    for kwargs in [base] + [
        {**base, key: value} for key, converter in parameters.items() for value in values_for(converter)
    ]:
        positional = all(isinstance(key, int) for key in kwargs)
        try:
            urls.append(reverse(name, args=list(kwargs.values())) if positional else reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue  # the pattern refuses this value itself (a regex group, a converter's shape)
    assert urls, f"no URL for route {name} ({text}) from {base}: add a real value for its parameters to site()"
    return urls


def with_query(url, names, value):
    return url + "?" + "&".join(f"{name}={value}" for name in names) + f"&{names[0]}=2"  # and one repeated


def hostile_queries(url, names, value):
    """``url`` with ``value`` in every parameter: ids apart, which a huge number has refused before any view."""
    ids = [name for name in names if name in ("id", "pk") or name.endswith("_id")]
    others = [name for name in names if name not in ids]
    return [with_query(url, group, value) for group in (others, ids) if group]


def api_parameters(pattern):
    """Everything an API endpoint reads: its known parameters and every filterable field."""
    endpoint = getattr(pattern.callback, "cls", None)
    if endpoint is None or not issubclass(endpoint, BaseAPIViewSet):
        return []
    model = ReviewPage if endpoint.model._meta.model_name == "page" else endpoint.model
    fields = endpoint.get_available_fields(model, db_fields_only=True)
    return sorted(set(endpoint.known_query_parameters) | set(fields))


def server_errors(client, requests):
    """The requests among ``requests`` ((method, url)) that were answered with a 5xx."""
    failed = []
    for method, url in requests:
        response = client.post(url, {}) if method == "POST" else client.get(url)
        if response.status_code >= 500:
            failed.append(f"{response.status_code} {method} {url[:160]}")
    return failed


@pytest.mark.django_db
def test_hostile_values_on_every_public_route_are_never_a_5xx(client, site):
    requests = []
    for name, pattern, text in routes():
        if text.startswith("admin/"):
            continue
        urls = sample_urls(name, pattern, text, site)
        names = api_parameters(pattern) or SITE_PARAMETERS
        requests += [("GET", url) for url in urls]
        for _label, value in HOSTILE:
            for url in hostile_queries(urls[0], names, value):
                requests += [("GET", url), ("POST", url)]
    review = ReviewPage.objects.get(pk=site["review_id"])
    for page_url in ["/", review.get_parent().url]:  # the review's own is the page route's real value
        requests += [
            ("GET", url) for _label, value in HOSTILE for url in hostile_queries(page_url, SITE_PARAMETERS, value)
        ]
    client.raise_request_exception = False
    failed = server_errors(client, requests)
    assert not failed, "\n".join(failed)


@pytest.mark.django_db
def test_hostile_values_in_every_api_filter_are_a_400_or_an_answer_never_a_5xx(client, site):
    requests = []
    for name, pattern, _text in routes():
        names = api_parameters(pattern)
        if not names or "<int:pk>" in str(pattern.pattern):
            continue
        url = reverse(name)
        typed = "type=blog.ReviewPage&" if "type" in names else ""
        for field in names:
            for _label, value in HOSTILE:
                requests.append(("GET", f"{url}?{typed}{field}={value}"))
    assert len(requests) > 300  # every endpoint's fields were found
    client.raise_request_exception = False
    failed = server_errors(client, requests)
    assert not failed, "\n".join(failed)


@pytest.mark.django_db
def test_hostile_values_on_every_admin_route_are_never_a_5xx(client, site):
    client.force_login(SuperUserFactory())
    client.raise_request_exception = False
    requests = []
    for name, pattern, text in routes():
        if not text.startswith("admin/") or name in DELIBERATE_ERRORS:
            continue
        urls = sample_urls(name, pattern, text, site)
        requests += [("GET", url) for url in urls[1:]]  # hostile path values; real ones open real screens
        requests += [("GET", url) for url in hostile_queries(urls[0], SITE_PARAMETERS, "1" + "0" * 30)]
    failed = server_errors(client, requests)
    assert not failed, "\n".join(failed)
