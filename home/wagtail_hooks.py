"""Hooks for the site as a whole: content checks in the editor's preview, an image operation."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.images.image_operations import TransformOperation


class ExactSizeOperation(TransformOperation):
    """`exact-1200x630`: the rendition is exactly this size.

    Share cards must be the size their tags declare. `fill` can come out a
    pixel short through rounding (wagtail/wagtail#3165) and never enlarges a
    small image; after it, this stretches by that pixel, or scales a small
    image up to the card's size.
    """

    def construct(self, size):
        width, height = (int(n) for n in size.split("x"))
        if not (0 < width <= 4000 and 0 < height <= 4000):
            raise ValueError(f"exact size out of range: {size}")
        self.width, self.height = width, height

    def run(self, transform, image):
        if tuple(transform.size) == (self.width, self.height):
            return transform
        return transform.resize((self.width, self.height))


@hooks.register("register_image_operations")
def register_exact_size_operation():
    return [("exact", ExactSizeOperation)]


class ReviewContentChecker(ContentCheckerItem):
    """Wagtail's content checks (Checks side panel and userbar), run on the page's own content.

    Checking `<main>` keeps the site header, search box and footer out of the
    counts and issues; the extra rules cover what matters for a review to be
    read and found: described images, titled embeds, headings in order,
    meaningful link text and a description for search engines.
    """

    axe_include = ["main"]
    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "duplicate-id-aria",
        "list",
        "listitem",
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": _("Image without alt text"),
            "help_text": _("Describe the image for readers who cannot see it, or mark it decorative"),
        },
        "empty-meta-description": {
            "error_name": _("No description for search engines"),
            "help_text": _("Write a standfirst, or a search description on the Promote tab"),
        },
    }


@hooks.register("construct_wagtail_userbar")
def use_review_content_checker(request, items, page):
    items[:] = [
        ReviewContentChecker(in_editor=item.in_editor) if isinstance(item, ContentCheckerItem) else item
        for item in items
    ]
