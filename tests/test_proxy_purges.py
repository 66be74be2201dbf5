"""Publishing purges a caching proxy in front (Wagtail's frontend cache) when one is configured."""

import pytest

from blog.factories import ReviewPageFactory


@pytest.mark.django_db
def test_publishing_purges_a_caching_proxy_when_configured(
    caching_proxy, review_index, django_capture_on_commit_callbacks
):
    review = ReviewPageFactory(parent=review_index, title="Purged")
    review.title = "Purged again"
    with django_capture_on_commit_callbacks(execute=True):
        review.save_revision().publish()
    assert review.url in caching_proxy
