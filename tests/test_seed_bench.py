import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from blog.comments.models import Comment
from blog.models import ReviewPage
from blog.ratings.models import RatingSummary, ReaderRating


@pytest.mark.django_db
def test_seed_bench_bulk_creates_valid_pages(client, home_page):
    call_command("seed_bench", "--reviews", "30", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    bench = ReviewPage.objects.filter(slug__startswith="bench-review-")
    assert bench.count() == 30
    assert Page.find_problems() == ([], [], [], [], [])  # the tree is consistent
    review = bench.first()
    page = client.get(review.url)
    assert page.status_code == 200 and review.title in page.text
    assert review.director_credits.count() == 1 and review.cast_credits.count() == 3
    for summary in RatingSummary.objects.filter(review__in=bench):
        assert summary.count == ReaderRating.objects.filter(review=summary.review).count()
    assert Comment.objects.filter(review__in=bench).exists()
    # More can be added later; paths and counts carry on.
    call_command("seed_bench", "--reviews", "5", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert ReviewPage.objects.filter(slug__startswith="bench-review-").count() == 35
    assert Page.find_problems() == ([], [], [], [], [])
    assert client.get("/", {"page": 4}).status_code == 200


@pytest.mark.django_db
def test_seed_bench_refuses_silly_sizes(home_page):
    with pytest.raises(CommandError):
        call_command("seed_bench", "--reviews", "0", "--no-progress")
