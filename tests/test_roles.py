import pytest
from django.contrib.auth.models import Group

from blog.factories import ReviewPageFactory
from core.factories import UserFactory
from core.roles import sync_roles


@pytest.mark.django_db
def test_migrate_creates_editor_and_moderator_groups():
    editors = Group.objects.get(name="Editors")
    moderators = Group.objects.get(name="Moderators")
    assert editors.permissions.filter(codename="access_admin").exists()
    assert set(editors.page_permissions.values_list("permission__codename", flat=True)) >= {
        "add_page",
        "change_page",
        "publish_page",
    }
    assert moderators.page_permissions.filter(permission__codename="lock_page").exists()
    assert editors.collection_permissions.filter(permission__codename="add_image").exists()


@pytest.mark.django_db
def test_sync_roles_is_idempotent():
    before = Group.objects.get(name="Editors").page_permissions.count()
    sync_roles()
    sync_roles()
    assert Group.objects.get(name="Editors").page_permissions.count() == before


@pytest.mark.django_db
def test_editor_can_write_reviews_but_not_change_site_settings(client, review_index):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    review = ReviewPageFactory(parent=review_index)
    assert client.get(f"/admin/pages/{review.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/blog/reviewpage/{review_index.pk}/").status_code == 200
    assert client.get("/admin/snippets/blog/person/add/").status_code == 200
    response = client.get(f"/admin/settings/core/siteidentity/{review.get_site().pk}/")
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_reader_without_role_cannot_enter_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "label"),
    [
        ("core/siteidentity", "Site identity"),
        ("comments/commentsettings", "Comments"),
        ("blog/feedsettings", "Feeds"),
        ("affiliates/affiliatesettings", "Affiliate disclosure"),
    ],
)
def test_each_concern_has_its_own_settings_page_in_the_admin(admin_client, home_page, address, label):
    site = home_page.get_site()
    response = admin_client.get(f"/admin/settings/{address}/{site.pk}/")
    assert response.status_code == 200
    assert label in admin_client.get("/admin/").content.decode()
