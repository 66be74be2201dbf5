"""Page weight and loading: compressed, long-cached assets; images that load lazily without shifting."""

import gzip
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client, override_settings

from blog.factories import ReviewPageFactory
from core.factories import CaptionedImageBlockFactory, ImageFactory

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 3600
# What a first visit downloads besides HTML and images, uncompressed.
CSS_BUDGET = 40_000
JS_BUDGET = 25_000


@pytest.fixture
def production_static(tmp_path):
    """Static files as production serves them: collected, fingerprinted and compressed by WhiteNoise."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=storages, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_css_and_js_are_fingerprinted_compressed_and_cached_for_a_year(production_static, review_index):
    review = ReviewPageFactory(parent=review_index)
    html = Client().get(review.url).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js|svg))"', html)
    assert {a.rsplit(".", 1)[1] for a in assets} == {"css", "js", "svg"}
    sizes = {"css": 0, "js": 0}
    for url in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), f"{url} is not fingerprinted"
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip", url
        assert "immutable" in response["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1]) >= ONE_YEAR
        body = gzip.decompress(b"".join(response.streaming_content))
        kind = url.rsplit(".", 1)[1]
        if kind in sizes:
            sizes[kind] += len(body)
    assert sizes["css"] <= CSS_BUDGET and sizes["js"] <= JS_BUDGET, sizes


def test_html_is_served_compressed(client, review_index):
    review = ReviewPageFactory(parent=review_index)
    response = client.get(review.url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)


def test_image_renditions_are_cached_for_a_year(client, review_index):
    review = ReviewPageFactory(parent=review_index)
    soup = BeautifulSoup(client.get(review.url).content, "html.parser")
    src = soup.select_one(".review__hero img")["src"]
    response = client.get(src)
    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    original = client.get(review.hero_image.file.url)
    assert original.status_code == 200 and "max-age=86400" in original["Cache-Control"]
    assert client.get("/media/../settings/base.py").status_code in (400, 404)


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
    assert client.get(response["Location"]).status_code == 200


def test_images_declare_their_size_and_only_the_first_loads_eagerly(client, review_index):
    still = ImageFactory()
    for _ in range(4):
        ReviewPageFactory(
            parent=review_index,
            body=[
                ("image", CaptionedImageBlockFactory(image__image__image=still, image__alt_text="A still", caption=""))
            ],
        )
    for path in ("/", review_index.url, review_index.get_children().first().url):
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        images = soup.select("main img")
        assert len(images) >= 2, path
        for img in images:
            # Width and height let the browser reserve the space: nothing jumps when it loads.
            assert img.get("width") and img.get("height"), img
        first, rest = images[0], images[1:]
        assert first.get("loading") != "lazy" and first.get("fetchpriority") == "high", path
        assert all(img["loading"] == "lazy" for img in rest), path


def test_search_page_is_indexable_and_result_pages_are_not(client, home_page):
    landing = BeautifulSoup(client.get("/search/").content, "html.parser")
    assert landing.find("meta", attrs={"name": "robots"}) is None
    results = BeautifulSoup(client.get("/search/?q=film").content, "html.parser")
    assert results.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /search/?" in robots.splitlines()
    assert "Disallow: /search/" not in robots.splitlines()
