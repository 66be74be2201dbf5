import pytest
from wagtail.models import Page

from blog.factories import ReviewPageFactory
from blog.lists.models import ListIndexPage, ListPage
from blog.models import ReviewIndexPage, ReviewPage
from home.models import ContentPage, HomePage


def subpage_models(model):
    return set(model.allowed_subpage_models())


def test_home_page_children_are_the_sections_lists_and_content_pages():
    assert subpage_models(HomePage) == {ReviewIndexPage, ListIndexPage, ListPage, ContentPage}


def test_lists_live_in_the_lists_section_or_under_home_and_hold_no_pages():
    assert subpage_models(ListIndexPage) == {ListPage}
    assert set(ListIndexPage.allowed_parent_page_models()) == {HomePage}
    assert set(ListPage.allowed_parent_page_models()) == {ListIndexPage, HomePage}
    assert subpage_models(ListPage) == set()
    assert ListIndexPage.max_count == 1


def test_reviews_live_only_in_the_review_index():
    assert subpage_models(ReviewIndexPage) == {ReviewPage}
    assert set(ReviewPage.allowed_parent_page_models()) == {ReviewIndexPage}
    assert subpage_models(ReviewPage) == set()


def test_content_pages_nest_under_home_and_each_other():
    assert set(ContentPage.allowed_parent_page_models()) == {HomePage, ContentPage}
    assert subpage_models(ContentPage) == {ContentPage}


@pytest.mark.django_db
def test_home_page_is_the_site_root_and_unique(home_page):
    root = Page.get_first_root_node()
    assert home_page.get_parent().pk == root.pk
    assert HomePage.max_count == 1
    assert not HomePage.can_create_at(root)


@pytest.mark.django_db
def test_only_one_reviews_section(review_index, home_page):
    assert not ReviewIndexPage.can_create_at(home_page)
    assert ReviewPage.can_create_at(review_index)
    assert not ReviewPage.can_create_at(home_page)


@pytest.mark.django_db
def test_admin_offers_only_allowed_page_types(admin_client, home_page, review_index):
    response = admin_client.get(f"/admin/pages/{review_index.pk}/add_subpage/")
    # A single allowed type skips the chooser and opens the review form.
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/pages/add/blog/reviewpage/{review_index.pk}/")

    # Wagtail turns a disallowed page type away with "permission denied".
    response = admin_client.get(f"/admin/pages/add/blog/reviewpage/{home_page.pk}/", follow=True)
    assert response.redirect_chain[0][0] == "/admin/"
    assert "Sorry, you do not have permission" in response.text

    review = ReviewPageFactory(parent=review_index)
    response = admin_client.get(f"/admin/pages/{review.pk}/add_subpage/", follow=True)
    assert response.redirect_chain[0][0] == "/admin/"
