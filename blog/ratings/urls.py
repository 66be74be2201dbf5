from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("<id:review_id>/", views.rate, name="rate"),
    path("<id:review_id>/state/", views.rating_state, name="state"),
]
