"""`manage.py import_letterboxd`: a critic's Letterboxd export, imported whole, idempotently and safely."""

import io
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from blog.factories import ReviewPageFactory
from blog.imports.models import ImportedItem
from blog.lists.models import ListPage
from blog.models import Critic, ReviewIndexPage, ReviewPage
from tests.helpers import soup

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "letterboxd" / "export"
TOP_FOLDER = "letterboxd-annakrall-2026-12-01-09-30-utc"


@pytest.fixture
def export(tmp_path):
    """A copy of the team's export, unpacked, to edit per test."""
    folder = tmp_path / "export"
    shutil.copytree(FIXTURE, folder)
    return folder


def zipped(folder, top=TOP_FOLDER, bom=False, crlf=False):
    """``folder`` as Letterboxd sends it: a ZIP, its files inside one folder (or at the top)."""
    path = folder.parent / "letterboxd.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*.csv")):
            text = file.read_text()
            if crlf:
                text = text.replace("\n", "\r\n")
            name = file.relative_to(folder).as_posix()
            archive.writestr(f"{top}/{name}" if top else name, ("\ufeff" if bom else "") + text)
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_letterboxd", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def row(output, kind):
    """The summary's numbers for ``kind``: imported, updated, unchanged, skipped, failed."""
    line = next(line for line in output.splitlines() if line.startswith(kind + " "))
    return [int(n) for n in line.split()[-5:]]


def latest(title):
    return ReviewPage.objects.get(title=title).get_latest_revision_as_object()


def test_reviews_arrive_as_drafts_with_rating_text_tags_and_dates(export):
    output = run(zipped(export))

    assert row(output, "review") == [4, 0, 0, 0, 0]
    reviews = ReviewPage.objects.order_by("first_published_at")
    assert [r.title for r in reviews] == ["Ivan's Childhood", "Dear Comrades!", "Aferim!", "Сталкер"]
    assert not any(r.live for r in reviews), "drafts by default, for the critic to check"
    # Dear Comrades!, 4.5 in the review, was re-watched and rated 4 (its history keeps the 4.5).
    assert [r.rating for r in reviews] == [Decimal("5"), Decimal("4"), Decimal("3.5"), None]
    assert [r.original_rating for r in reviews] == [Decimal("5"), Decimal("4.5"), Decimal("3.5"), None]
    assert [r.release_year for r in reviews] == [1962, 2020, 2015, 1979]
    assert [r.slug for r in reviews] == ["ivans-childhood", "dear-comrades", "aferim", "сталкер"]
    assert reviews[1].first_published_at.date() == date(2021, 1, 15)
    assert {
        credit.critic.name for r in reviews for credit in r.get_latest_revision_as_object().critic_credits.all()
    } == {"Anna Krall"}
    assert set(reviews[1].tags.names()) == {"soviet", "black and white"}

    comrades = latest("Dear Comrades!")
    paragraphs = [b.value.source for b in comrades.body if b.block_type == "paragraph"]
    assert paragraphs[1].startswith("<p><i>Lyuda</i>, a Party loyalist")
    assert comrades.standfirst.startswith("Konchalovsky restages the 1962 strike")

    aferim = latest("Aferim!")
    text = aferim.body[0].value.source
    assert '<a href="https://films.example.com/aferim-interview">' in text and "<br/>" in text
    assert [b.value["quote"] for b in aferim.body if b.block_type == "pull_quote"] == ["Everyone is somebody's slave."]
    assert "<b>No stars</b>" in latest("Сталкер").body[0].value.source

    assert not ReviewPage.objects.filter(title__in=["A Deleted Film", "An Orphaned Film"]).exists()
    assert "deleted" not in output.lower().replace("deleted/", "")


def test_text_after_a_spoiler_warning_is_folded_away(export):
    run(export)
    ivan = latest("Ivan's Childhood")
    assert [b.block_type for b in ivan.body] == ["paragraph", "spoiler"]
    assert "Berlin in 1945" in ivan.body[1].value["text"].source
    assert "Berlin" not in ivan.standfirst and "Spoilers ahead" not in str(ivan.body[0].value)


def test_a_review_letterboxd_marked_as_spoilers_is_folded_whole(export):
    reviews = export / "reviews.csv"
    lines = reviews.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace("Watched Date", "Watched Date,Spoilers")
    reviews.write_text("".join(lines) + "")
    text = reviews.read_text().replace(",2022-11-19\n", ",2022-11-19,Yes\n")
    reviews.write_text(text)
    run(export)
    aferim = latest("Aferim!")
    assert [b.block_type for b in aferim.body] == ["spoiler"]
    assert aferim.standfirst == ""


def test_re_watches_from_the_diary_become_the_reviews_viewing_history(export):
    output = run(export)
    comrades = latest("Dear Comrades!")
    assert [(value["watched_on"], value.rating) for value in (b.value for b in comrades.rewatches)] == [
        (date(2023, 8, 5), Decimal("4"))
    ]
    assert not any("Watched again" in str(b.value) for b in comrades.body)
    # Ivan's diary row is the review's own viewing (marked a re-watch there too): no re-watch.
    assert len(latest("Ivan's Childhood").rewatches) == 0
    assert row(output, "diary entry") == [1, 0, 0, 5, 0]
    assert "a viewing of a film with no review" in output


def test_a_second_run_changes_nothing_and_a_later_export_updates(export):
    run(export)
    revisions = Revision.objects.count()
    again = run(zipped(export))
    assert row(again, "review") == [0, 0, 4, 0, 0]
    assert Revision.objects.count() == revisions
    assert ReviewPage.objects.count() == 4

    reviews = export / "reviews.csv"
    reviews.write_text(reviews.read_text().replace("Wallachian western", "Wallachian western, in 1835"))
    later = run(export)
    assert row(later, "review") == [0, 1, 3, 0, 0]
    assert ReviewPage.objects.count() == 4
    assert "in 1835" in latest("Aferim!").body[0].value.source


def test_a_later_export_keeps_the_critics_published_review_live(export):
    run(export)
    page = ReviewPage.objects.get(title="Aferim!")
    page.get_latest_revision().publish()
    reviews = export / "reviews.csv"
    reviews.write_text(reviews.read_text().replace("worth reading", "well worth reading"))
    run(export)
    page.refresh_from_db()
    assert page.live and page.has_unpublished_changes


def test_publish_puts_reviews_live_at_their_letterboxd_dates(export, client):
    run(export, "--publish")
    comrades = ReviewPage.objects.get(title="Dear Comrades!")
    assert comrades.live
    assert comrades.first_published_at.date() == date(2021, 1, 15)
    page = soup(client.get(comrades.url))
    assert page.h1.get_text(" ", strip=True).startswith("Dear Comrades!")
    history = " ".join(page.select_one(".rating-history").get_text(" ").split())
    assert "Revisited in August 2023" in history and "down from" in history
    listing = soup(client.get("/reviews/"))
    assert "Сталкер" in listing.get_text()


def test_dry_run_writes_nothing(export):
    output = run(export, "--dry-run")
    assert "DRY RUN" in output
    assert row(output, "review") == [4, 0, 0, 0, 0]
    assert not ReviewPage.objects.exists()
    assert not ImportedItem.objects.exists()


def test_ratings_without_a_review_are_skipped_or_become_drafts(export):
    output = run(export)
    assert row(output, "rating") == [0, 0, 0, 4, 0]
    assert "a rating without a review (--ratings-as-drafts imports them)" in output
    assert not ReviewPage.objects.filter(title="The Cranes Are Flying").exists()

    output = run(export, "--ratings-as-drafts")
    assert row(output, "rating") == [1, 0, 0, 3, 0]
    cranes = ReviewPage.objects.get(title="The Cranes Are Flying")
    assert (cranes.rating, cranes.release_year, cranes.live) == (Decimal("4"), 1957, False)
    assert row(run(export, "--ratings-as-drafts"), "rating") == [0, 0, 1, 3, 0]


def test_the_profile_becomes_the_critic(export):
    output = run(export)
    critic = Critic.objects.get()
    assert critic.bio and critic.bio in (export / "profile.csv").read_text()
    assert critic.same_as == ["https://letterboxd.com/annakrall/", "https://films.example.com"]
    assert "file watchlist.csv: not something Marquee publishes" in output


def test_a_film_the_site_already_reviews_is_not_reviewed_twice(export, review_index):
    ReviewPageFactory(parent=review_index, title="Aferim!", release_year=2015)
    output = run(export)
    assert row(output, "review") == [3, 0, 0, 1, 0]
    assert "the site already has a review of this film" in output
    assert ReviewPage.objects.filter(title="Aferim!").count() == 1


@pytest.mark.parametrize(
    "top, bom, crlf",
    [(TOP_FOLDER, False, False), (None, False, False), (TOP_FOLDER, True, False), (None, True, True)],
    ids=["top-folder", "no-top-folder", "bom", "bom-crlf"],
)
def test_every_shape_of_the_export_reads_the_same(export, top, bom, crlf):
    output = run(zipped(export, top=top, bom=bom, crlf=crlf))
    assert row(output, "review") == [4, 0, 0, 0, 0]
    assert row(output, "diary entry") == [1, 0, 0, 5, 0]
    paragraphs = [b.value.source for b in latest("Dear Comrades!").body if b.block_type == "paragraph"]
    assert len(paragraphs) == 2, "blank lines inside a quoted review still make paragraphs"
    assert '"apples"' in latest("Ivan's Childhood").body[0].value.source.replace("&quot;", '"')


def test_the_reviews_section_is_made_again_if_an_editor_deleted_it(export):
    ReviewIndexPage.objects.get().delete()
    run(export)
    index = ReviewIndexPage.objects.get()
    assert index.live and index.url == "/reviews/"
    assert ReviewPage.objects.child_of(index).count() == 4


# -- bad input: a clear error, or a counted skip with its reason; nothing half-imported ----------


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "export.zip"
    path.write_text("Date,Name\n")
    with pytest.raises(CommandError, match="neither a ZIP file nor a folder"):
        run(path)


def test_a_zip_with_no_letterboxd_files_is_refused(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday/notes.txt", "not an export")
    with pytest.raises(CommandError, match="holds no Letterboxd export files"):
        run(path)


def test_renamed_columns_stop_the_import_before_anything_is_written(export):
    reviews = export / "reviews.csv"
    reviews.write_text(reviews.read_text().replace("Letterboxd URI", "URL", 1))
    with pytest.raises(CommandError, match="reviews.csv lacks the column"):
        run(export)
    assert not ReviewPage.objects.exists()


def test_text_that_is_not_utf8_is_refused(export):
    (export / "reviews.csv").write_bytes((export / "reviews.csv").read_text().encode("utf-16"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(export)


@pytest.mark.parametrize(
    "field, value, reason",
    [
        (",4.5,No,", ",7,No,", "rating “7” is not between ½ and 5 stars"),
        (",4.5,No,", ",abc,No,", "rating “abc” is not a number of stars"),
        (",4.5,No,", ",4.3,No,", "rating “4.3” is not between ½ and 5 stars"),
        (",2020,", ",1700,", "year “1700” is not a film's year"),
        ("2021-01-15,Dear", "15/01/2021,Dear", "date “15/01/2021” is not a date"),
    ],
)
def test_a_bad_value_skips_its_review_with_the_reason(export, field, value, reason):
    reviews = export / "reviews.csv"
    assert field in reviews.read_text()
    reviews.write_text(reviews.read_text().replace(field, value, 1))
    output = run(export)
    assert row(output, "review") == [3, 0, 0, 1, 0]
    assert reason in output
    assert not ReviewPage.objects.filter(title="Dear Comrades!").exists()


def test_a_huge_review_is_skipped_and_the_rest_imported(export):
    reviews = export / "reviews.csv"
    huge = "A very long review. " * 2_500_000  # 50 MB
    with reviews.open("a") as file:
        file.write(f'2024-01-01,The Long One,2023,https://boxd.it/big1,3,No,"{huge}",,2024-01-01\n')
    output = run(zipped(export))
    assert row(output, "review") == [4, 0, 0, 1, 0]
    assert "could not be read (field larger than field limit" in output
    assert not ReviewPage.objects.filter(title="The Long One").exists()


def test_a_zip_entry_pointing_outside_the_export_is_never_read(export, tmp_path):
    path = zipped(export, top=None)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("../../escaped/reviews.csv", (export / "reviews.csv").read_text())
        archive.writestr("/etc/reviews.csv", "x")
    output = run(path)
    assert row(output, "review") == [4, 0, 0, 0, 0]
    assert "2 × ZIP entry outside the export" in output
    assert not (tmp_path.parent / "escaped").exists()


def test_a_zip_bomb_is_refused_before_anything_is_written(export):
    path = zipped(export, top=None)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comments.csv", "Date,Name\n" + "0" * (65 * 1024 * 1024))
    with pytest.raises(CommandError, match="the limit is 67,108,864"):
        run(path)
    assert not ReviewPage.objects.exists()


def test_a_row_missing_its_fields_is_skipped(export):
    reviews = export / "reviews.csv"
    with reviews.open("a") as file:
        file.write("2024-01-01,Half a Row\n")
    output = run(export)
    assert row(output, "review") == [4, 0, 0, 1, 0]
    assert "Letterboxd URI “” is not a Letterboxd address" in output


def test_two_re_watches_on_one_day_rated_and_unrated_are_both_kept(export):
    diary = export / "diary.csv"
    with diary.open("a") as file:
        file.write("2024-06-01,Aferim!,2015,https://boxd.it/aa1,,Yes,,2024-05-31\n")
        file.write("2024-06-01,Aferim!,2015,https://boxd.it/aa2,4,Yes,,2024-05-31\n")
    run(export)
    aferim = latest("Aferim!")
    # Unrated that time: the rating given before carries on (3.5), then the second viewing's 4.
    assert [(b.value["watched_on"], b.value["stars"]) for b in aferim.rewatches] == [
        (date(2024, 5, 31), "3.5"),
        (date(2024, 5, 31), "4"),
    ]
    assert aferim.rating == Decimal("4")


def test_lists_become_draft_list_pages_with_their_films_matched_to_the_reviews(export, client):
    output = run(export)
    assert row(output, "list") == [2, 0, 0, 0, 0]
    best = ListPage.objects.get(title="Best of 2020")
    war = ListPage.objects.get(title="Soviet war films")
    assert not best.live and not war.live, "drafts by default, for the critic to check"
    entries = sorted(war.get_latest_revision_as_object().entries.all(), key=lambda entry: entry.sort_order)
    ivan = ReviewPage.objects.get(title="Ivan's Childhood")
    assert [(entry.review_id, entry.film_title, entry.film_year) for entry in entries] == [
        (ivan.pk, "Ivan's Childhood", 1962),
        (None, "The Cranes Are Flying", 1957),  # rated on Letterboxd, never reviewed: a film not reviewed here
    ]
    assert entries[1].note == "<p>Kalatozov&#x27;s crane shots, still unmatched.</p>"
    assert "The war seen from the other side of the front" in war.intro
    assert row(run(export), "list") == [0, 0, 2, 0, 0]

    run(export, "--publish")
    best = ListPage.objects.get(title="Best of 2020")
    assert best.live and best.first_published_at.date() == date(2021, 1, 20)
    comrades = ReviewPage.objects.get(title="Dear Comrades!")
    assert [entry.review_id for entry in best.entries.all()] == [comrades.pk]
    assert "Best of 2020" in soup(client.get(comrades.url)).select_one(".on-lists").get_text()


def test_a_list_with_a_bad_film_row_is_skipped_with_its_reason(export):
    path = export / "lists" / "best-of-2020.csv"
    path.write_text(path.read_text() + "2,Tenet,twenty twenty,https://boxd.it/x,\n")
    output = run(export)
    assert row(output, "list") == [1, 0, 0, 1, 0]
    assert "year “twenty twenty” is not a film's year" in output
    assert not ListPage.objects.filter(title="Best of 2020").exists()
