"""The content checker Wagtail runs in the editor's preview is set up for reviews."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from wagtail.admin.userbar import Userbar

from blog.factories import ReviewPageFactory

pytestmark = pytest.mark.django_db


def checker_config(page, user, **flags):
    request = RequestFactory().get(page.url)
    request.user = user
    for name, value in flags.items():
        setattr(request, name, value)
    html = Userbar(object=page).render_html({"request": request})
    return json.loads(BeautifulSoup(html, "html.parser").find(id="checker-axe-configuration").string)


@pytest.mark.parametrize("flags", [{}, {"in_preview_panel": True}])
def test_checks_cover_the_page_content_with_seo_and_alt_text_rules(review_index, admin_user, flags):
    review = ReviewPageFactory(parent=review_index)
    config = checker_config(review, admin_user, **flags)
    assert config["context"]["include"] == ["main"]
    rules = config["options"]["runOnly"]
    for rule in ("image-alt", "alt-text-quality", "empty-meta-description", "heading-order", "link-name"):
        assert rule in rules
    assert config["messages"]["empty-meta-description"]["help_text"].startswith("Write a standfirst")
