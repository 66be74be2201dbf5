"""What reaches the full-text search from a reader: words only.

Quotes, brackets, dashes and operators would be read as full-text syntax by
the database, and SQLite's FTS5 fails on them (a 500; wagtail/wagtail#13227).
"""

import re

WORD = re.compile(r"\w+")


def search_words(text):
    """``text``'s words, space-separated: "" when it holds only symbols."""
    return " ".join(WORD.findall(text))
