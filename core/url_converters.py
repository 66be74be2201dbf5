"""``<id:...>`` in URL patterns: a record's id, refused (as "no such page") beyond any id column's range.

Django's ``<int:...>`` accepts any number of digits, and a 30-digit id then
reaches the database: SQLite cannot bind it (OverflowError, a 500), and lookups
through a relation (a review's id is its page's) are not range-checked by
Django. Ids here never pass PostgreSQL's ``integer``, the narrowest id column.
"""

from django.urls.converters import IntConverter

MAX_ID = 2**31 - 1


def is_database_id(value):
    """Whether the text ``value`` is an id a database column can hold (a positive integer within MAX_ID)."""
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


class DatabaseIdConverter(IntConverter):
    def to_python(self, value):
        if not is_database_id(value):
            raise ValueError(f"{value[:20]}… is not an id")  # Django then tries the next pattern: a 404
        return int(value)
