from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("<int:review_id>/", views.rate, name="rate"),
    path("<int:review_id>/state/", views.rating_state, name="state"),
]
