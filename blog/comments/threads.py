from collections import defaultdict

from blog.pagination import paginate

from .models import Comment, CommentSettings
from .posting import closed_reason

THREADS_PER_PAGE = 50


def comment_context(request, review):
    """Approved comments of ``review`` as threads, 50 top-level threads a page.

    One query whatever the number of comments: a review's approved comments
    are read together (in the order shown) and threaded and paged here.
    """
    # A review being previewed before its first save has no comments yet.
    approved = list(Comment.objects.approved().filter(review=review)) if review.pk else []
    children = defaultdict(list)
    for comment in approved:
        children[comment.parent_id].append(comment)
    for comment in approved:
        comment.thread_replies = children[comment.pk]
    threads = paginate(request, children[None], THREADS_PER_PAGE, param="comments")
    closed = closed_reason(review, CommentSettings.for_request(request))
    return {
        "comment_threads": threads,
        "comment_count": len(approved),
        "comments_open": closed is None,
        "comments_closed_reason": closed,
    }
