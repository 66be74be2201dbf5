"""Test data for readers' comments."""

import factory

from .models import Comment


class CommentFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    text = "A thoughtful reply to the review."
    status = Comment.Status.APPROVED
    author_key = factory.Sequence(lambda n: f"anon:token{n}")
    ip_hash = "x" * 64

    class Meta:
        model = Comment
