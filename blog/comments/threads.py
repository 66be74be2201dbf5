from collections import defaultdict

from blog.pagination import paginate
from home.models import SiteSettings

from .forms import CommentForm
from .models import Comment
from .posting import closed_reason

THREADS_PER_PAGE = 50


def comment_context(request, review):
    """Approved comments of ``review`` as threads, 50 top-level threads a page.

    Four queries whatever the number of comments: the total, the page count,
    the page's top-level comments and every reply in those threads.
    """
    # A review being previewed before its first save has no comments yet.
    approved = Comment.objects.approved().filter(review=review) if review.pk else Comment.objects.none()
    threads = paginate(request, approved.filter(parent__isnull=True), THREADS_PER_PAGE, param="comments")
    roots = list(threads.object_list)
    replies = list(approved.filter(root__in=roots))
    children = defaultdict(list)
    for reply in replies:
        children[reply.parent_id].append(reply)
    for comment in roots + replies:
        comment.thread_replies = children[comment.pk]
    closed = closed_reason(review, SiteSettings.for_request(request))
    return {
        "comment_threads": threads,
        "comment_count": approved.count(),
        "comments_open": closed is None,
        "comments_closed_reason": closed,
        "comment_form": CommentForm(review=review, auto_id="id_comment_%s"),
    }
