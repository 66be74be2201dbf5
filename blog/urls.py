from django.urls import path, re_path

from . import browse

app_name = "browse"
urlpatterns = [
    path("people/<slug:slug>/", browse.person, name="person"),
    path("critics/", browse.critics, name="critics"),
    path("critics/<slug:slug>/", browse.critic, name="critic"),
    path("browse/genres/", browse.genres, name="genres"),
    path("browse/genre/<slug:slug>/", browse.genre, name="genre"),
    path("browse/tag/<slug:slug>/", browse.tag, name="tag"),
    path("browse/year/<int:year>/", browse.year, name="year"),
    path("browse/year/<int:year>/<int:month>/", browse.year, name="month"),
    re_path(r"^browse/decade/(?P<decade>\d{4})s/$", browse.decade, name="decade"),
    re_path(r"^browse/rating/(?P<stars>[0-5](?:\.5)?)/$", browse.rating, name="rating"),
    path("browse/a-z/", browse.a_to_z, name="a_to_z"),
    re_path(r"^browse/a-z/(?P<letter>[a-z]|0-9)/$", browse.a_to_z, name="letter"),
]
