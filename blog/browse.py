"""Ways into the archive: by person, genre, publication date, decade, rating and letter.

Each is a plain Django view over published reviews, paginated like the home
page, in a fixed number of queries whatever the page number.
"""

import calendar
import string
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from taggit.models import Tag
from wagtail.images.models import Filter

from core.seo import Crumb
from core.structured_data import absolute

from . import structured_data
from .models import RATING_CHOICES, Critic, Genre, Person, ReviewCastMember, ReviewDirector, ReviewPage, star_label
from .pagination import NEWEST_FIRST, paginate_reviews

PER_PAGE = 10
PORTRAIT = Filter(spec="fill-320x320")  # made once, as picture_tags.FILTERS are
LETTERS = list(string.ascii_lowercase) + ["0-9"]


def crumbs(*trail):
    """Home → Browse → …: the visible breadcrumb trail and the BreadcrumbList JSON-LD."""
    return [Crumb("Home", "/"), Crumb("Browse", reverse("browse:a_to_z")), *(Crumb(name, url) for name, url in trail)]


def published():
    return ReviewPage.objects.live().public()


def archive(
    request,
    reviews,
    heading,
    intro="",
    empty="No reviews here yet.",
    ordering=NEWEST_FIRST,
    template="blog/archive.html",
    **extra,
):
    context = {
        "archive_heading": heading,
        "archive_intro": intro,
        "reviews": paginate_reviews(request, reviews, PER_PAGE, ordering),
        "empty_message": empty,
        "meta_title": heading,
        "meta_description": intro or f"{heading}: film reviews with the critic's star rating.",
        "breadcrumbs": crumbs((heading, request.path)),
        **extra,
    }
    return TemplateResponse(request, template, context)


def genre(request, slug):
    genre = get_object_or_404(Genre, slug=slug)
    return archive(request, published().filter(genres=genre), f"{genre.name} reviews", genre.description)


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return archive(request, published().filter(tags=tag), f"Reviews tagged “{tag.name}”")


def genres(request):
    listed = Genre.objects.filter(reviews__in=published()).annotate(n=Count("reviews")).order_by("name")
    context = {
        "genres": listed,
        "meta_title": "Genres",
        "meta_description": "Film reviews by genre.",
        "breadcrumbs": crumbs(("Genres", request.path)),
    }
    return TemplateResponse(request, "blog/genres.html", context)


def year(request, year, month=None):
    if not 1900 <= year <= 2200 or (month is not None and not 1 <= month <= 12):
        raise Http404("No such archive")
    reviews = published().filter(first_published_at__year=year)
    heading = f"Reviews published in {year}"
    if month is not None:
        reviews = reviews.filter(first_published_at__month=month)
        heading = f"Reviews published in {calendar.month_name[month]} {year}"
    return archive(request, reviews, heading, empty="No reviews were published then.")


def decade(request, decade):
    decade = int(decade)
    if decade % 10:
        raise Http404("No such decade")
    reviews = published().filter(release_year__gte=decade, release_year__lt=decade + 10)
    return archive(request, reviews, f"Films of the {decade}s", empty="No films from this decade reviewed yet.")


def rating(request, stars):
    try:
        value = Decimal(stars)
    except ArithmeticError:
        raise Http404("No such rating") from None
    if value not in {choice for choice, _ in RATING_CHOICES if choice is not None}:
        raise Http404("No such rating")
    return archive(request, published().filter(rating=value), f"Reviews rated {star_label(value)}")


def a_to_z(request, letter=None):
    if letter is None:
        context = {
            "letters": LETTERS,
            "decades": range(1920, 2030, 10),
            "ratings": [f"{float(value):g}" for value, _ in RATING_CHOICES if value is not None][::-1],
            "meta_title": "Browse reviews",
            "meta_description": "Every review by the first letter of the film's title, by genre, decade or rating.",
            "breadcrumbs": [Crumb("Home", "/"), Crumb("Browse", request.path)],
        }
        return TemplateResponse(request, "blog/a_to_z.html", context)
    if letter not in LETTERS:
        raise Http404("No such letter")
    if letter == "0-9":
        query = Q()
        for digit in string.digits:
            query |= Q(title__startswith=digit)
        reviews = published().filter(query)
    else:
        reviews = published().filter(title__istartswith=letter)
    heading = f"Films: {letter.upper()}"
    return archive(request, reviews, heading, ordering=("title", "pk"), letters=LETTERS, letter=letter)


def person(request, slug):
    """Everything a director or actor has been reviewed for, with their role."""
    person = get_object_or_404(Person, slug=slug)
    live = published()
    directed = (
        ReviewDirector.objects.filter(person=person, page__in=live)
        .select_related("page__rating_summary")
        .order_by("-page__release_year")
    )
    acted = (
        ReviewCastMember.objects.filter(person=person, page__in=live)
        .select_related("page__rating_summary")
        .order_by("-page__release_year")
    )
    directed, acted = list(directed), list(acted)
    roles = " and ".join(role for role, credits in (("directed", directed), ("appeared in", acted)) if credits)
    context = {
        "person": person,
        "directed": directed,
        "acted": acted,
        "meta_title": person.name,
        "meta_description": person.biography
        or (f"Reviews of films {person.name} {roles}." if roles else f"{person.name}: film reviews."),
        "breadcrumbs": [Crumb("Home", "/"), Crumb(person.name, request.path)],
    }
    return TemplateResponse(request, "blog/person.html", context)


def critics(request):
    """Every critic with a published review, and how many."""
    listed = (
        Critic.objects.filter(review_credits__page__in=published())
        .annotate(reviews=Count("review_credits"))
        .order_by("name")
    )
    context = {
        "critics": listed,
        "meta_title": "Critics",
        "meta_description": "Who writes the reviews, and everything each of them has reviewed.",
        "breadcrumbs": [Crumb("Home", "/"), Crumb("Critics", request.path)],
    }
    return TemplateResponse(request, "blog/critics.html", context)


def critic(request, slug):
    """A critic's page: portrait, bio, links, their average rating, and their reviews, newest first."""
    # The portrait's renditions come with it: the page's and the share card's.
    critic = get_object_or_404(
        Critic.objects.select_related("portrait").prefetch_related("portrait__renditions"), slug=slug
    )
    reviews = published().filter(critic_credits__critic=critic)
    totals = reviews.aggregate(count=Count("pk"), rated=Count("rating"), average=Avg("rating"))
    portrait = critic.portrait.get_rendition(PORTRAIT) if critic.portrait else None
    description = critic.bio or f"Film reviews by {critic.name}."
    return archive(
        request,
        reviews,
        critic.name,
        template="blog/critic.html",
        empty=f"{critic.name} has no published reviews yet.",
        critic=critic,
        portrait=portrait,
        totals=totals,
        meta_description=description,
        meta_image=critic.portrait,
        breadcrumbs=[
            Crumb("Home", "/"),
            Crumb("Critics", reverse("browse:critics")),
            Crumb(critic.name, request.path),
        ],
        structured_data=structured_data.critic_profile(
            request,
            critic,
            description=critic.bio,
            image_url=absolute(request, portrait.url) if portrait else "",
        ),
    )
