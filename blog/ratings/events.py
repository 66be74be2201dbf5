"""Signals the ratings app sends, for apps that show readers' totals (page delivery purges on them)."""

from django.dispatch import Signal

#: Sent with ``review_id`` whenever a review's readers' totals change: a vote, a changed vote, a moderator's deletion.
reader_totals_changed = Signal()
