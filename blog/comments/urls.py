from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("<id:review_id>/", views.comment, name="comment"),
    path("<id:review_id>/state/", views.comment_state, name="state"),
]
