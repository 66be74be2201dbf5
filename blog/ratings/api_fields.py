from rest_framework.fields import Field

from .voting import summary_for


class ReadersField(Field):
    """The readers' rating of a review in the API: average, count and votes per star."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")  # the review itself; the totals may not exist yet
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, review):
        return summary_for(review).as_dict()
