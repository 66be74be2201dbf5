"""Where imported reviews go and how they are saved: shared by every importer."""

from django.utils.text import slugify
from wagtail.models import Site

from blog.models import ReviewIndexPage


class NoSiteError(RuntimeError):
    """The database has no default Site (``migrate`` has not run)."""


def home_and_reviews_section():
    """The default Site's home page and its Reviews section, made again if an editor deleted it.

    ``migrate`` creates both on a new database (``home`` migration 0008); an import
    must still work on a site whose Reviews section was removed since.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise NoSiteError("the database has no default site; run manage.py migrate first")
    home = site.root_page.specific
    index = ReviewIndexPage.objects.descendant_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ReviewIndexPage(title="Reviews", slug=unique_slug(home, "reviews"), show_in_menus=True)
        )
        index.save_revision(log_action=False).publish(log_action=False)
    return home, index


def unique_slug(parent, slug, page=None):
    """``slug`` made URL-safe and unique among ``parent``'s children (``page`` itself aside)."""
    base = slugify(slug or "", allow_unicode=True)[:200] or "imported"
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def publish_as_of(page, when, user=None):
    """Publish ``page`` keeping the date it first went out elsewhere (``when``, or now)."""
    page.go_live_at = None
    page.save_revision(user=user, log_action=False, clean=False).publish(user=user, log_action=False)
    if when:
        model = type(page)
        model.objects.filter(pk=page.pk).update(first_published_at=when)
        if not page.last_published_at or page.last_published_at < when:
            model.objects.filter(pk=page.pk).update(last_published_at=when)


def schedule(page, when, user=None):
    """Publish ``page`` at ``when`` (in the future): Wagtail's scheduled publishing takes it from there."""
    page.go_live_at = when
    page.save_revision(user=user, log_action=False, clean=False).publish(user=user, log_action=False)


def save_draft(page, user=None, first_published_at=None):
    """Save ``page``'s content as its latest draft; a live page stays live with these as unpublished changes.

    ``first_published_at`` (the date it went out elsewhere) is kept when the page is
    new, so publishing it later in Wagtail keeps that date.
    """
    page.save_revision(user=user, log_action=False, clean=False)
    if first_published_at and not page.first_published_at:
        type(page).objects.filter(pk=page.pk).update(first_published_at=first_published_at)
