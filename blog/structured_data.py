"""schema.org JSON-LD for a review: a critic's ``Review`` of a ``Movie``.

Follows Google's structured-data rules for review snippets
(https://developers.google.com/search/docs/appearance/structured-data/review-snippet):
a critic's `Review` of a `Movie` with a `Rating`, the readers' `AggregateRating`
nested in the movie, and nothing rating-shaped for reviews marked "not rated".
Every value shown here is also visible on the page.
"""

from wagtail.images.models import Filter

from core.structured_data import SCHEMA, absolute, site_root

CRITIC_WORST, CRITIC_BEST = 0.5, 5  # half a star to five stars
# Google's movie carousel wants roughly 6:9 pictures: the review's image cut to a 2:3 poster.
POSTER = Filter(spec="fill-600x900|format-jpeg")
READER_WORST, READER_BEST = 1, 5


def people(request, credits):

    return [
        {"@type": "Person", "name": credit.person.name, "url": absolute(request, credit.person.get_absolute_url())}
        for credit in credits
    ]


def movie(review, request, *, director_credits, cast_credits, genres, image_url, summary):
    film = {"@type": "Movie", "name": review.title}
    if review.original_title:
        film["alternateName"] = review.original_title
    if review.release_year:
        film["dateCreated"] = str(review.release_year)
    if director_credits:
        film["director"] = people(request, director_credits)
    if cast_credits:
        film["actor"] = people(request, cast_credits)
    if genres:
        film["genre"] = [genre.name for genre in genres]
    if review.runtime:
        film["duration"] = f"PT{review.runtime}M"
    if review.country:
        film["countryOfOrigin"] = [
            {"@type": "Country", "name": name.strip()} for name in review.country.split(",") if name.strip()
        ]
    if image_url:
        film["image"] = image_url
    if review.hero is not None:
        film["image"] = absolute(request, review.hero.get_rendition(POSTER).url)
    if review.rating is not None and summary is not None and summary.count:
        # The readers' average exactly as the page prints it ("3.8 from 124 readers").
        film["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": float(summary.average),
            "ratingCount": summary.count,
            "bestRating": READER_BEST,
            "worstRating": READER_WORST,
        }
    return film


def critic_person(request, critic):
    """A critic as schema.org's ``Person``: their page here, and their pages elsewhere."""
    person = {"@type": "Person", "name": critic.name, "url": absolute(request, critic.get_absolute_url())}
    if critic.same_as:
        person["sameAs"] = critic.same_as
    return person


def critic_profile(request, critic, *, description, image_url):
    """The critic's page: a ``ProfilePage`` about the critic."""
    person = critic_person(request, critic)
    if description:
        person["description"] = description
    if image_url:
        person["image"] = image_url
    return {"@context": SCHEMA, "@type": "ProfilePage", "mainEntity": person}


def review(page, request, *, site_name, critics, description, image_url, **film_parts):
    """The critic's review of the film, or an article about it when it is not rated."""
    root = site_root(request)
    film = movie(page, request, image_url=image_url, **film_parts)
    publisher = {"@type": "Organization", "name": site_name, "url": root + "/"}
    authors = [critic_person(request, critic) for critic in critics]
    data = {
        "@context": SCHEMA,
        "@type": "Review" if page.rating is not None else "Article",
        "url": page.get_full_url(request),
        "author": (authors[0] if len(authors) == 1 else authors) if authors else publisher,
        "publisher": publisher,
    }
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if description:
        data["description"] = description
    if page.rating is not None:
        data["name"] = f"{page.title} review"
        data["itemReviewed"] = film
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": float(page.rating),
            "bestRating": CRITIC_BEST,
            "worstRating": CRITIC_WORST,
        }
    else:
        data["headline"] = f"{page.title} review"[:110]
        data["about"] = film
        if image_url:
            data["image"] = image_url
    return data
