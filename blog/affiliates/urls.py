from django.urls import path

from . import views

app_name = "affiliates"
urlpatterns = [path("<id:link_id>/", views.go, name="go")]
