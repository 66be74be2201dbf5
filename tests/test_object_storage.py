"""Uploads and renditions in object storage (django-storages against a real S3-compatible server)."""

import io
import time
from pathlib import Path

import boto3
import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model

from blog.factories import ReviewPageFactory
from tests.varnish import free_port


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3-compatible server (moto's), on a local port, for the session."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def object_storage(s3_endpoint, settings, tmp_path):
    bucket = f"marquee-{int(time.time() * 1000)}"
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    settings.MEDIA_ROOT = tmp_path / "local-media"
    return client, bucket


def png(size=(1200, 675)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#446688").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_uploads_and_renditions_live_in_object_storage(
    object_storage, admin_client, client, review_index, s3_endpoint
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s3, bucket = object_storage
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Lyuda", "file": SimpleUploadedFile("lyuda.png", png(), content_type="image/png"), "collection": 1},
    )
    assert response.status_code == 302, response.content[:500]
    image = get_image_model().objects.get(title="Lyuda")
    review = ReviewPageFactory(parent=review_index, hero_image=image)
    html = client.get(review.url).content.decode()
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert any(key.startswith("original_images/lyuda") for key in keys)
    assert any(key.startswith("images/") and ".fill-1200x630" in key for key in keys)  # the share card
    assert f"{s3_endpoint}/{bucket}/images/lyuda" in html
    # The bytes come back from the object store, and nothing was written locally.
    body = s3.get_object(Bucket=bucket, Key=next(k for k in keys if k.startswith("original_images/")))["Body"].read()
    assert body.startswith(b"\x89PNG")
    from django.conf import settings

    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))
