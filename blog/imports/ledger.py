"""An importer's memory: which exported object became which Marquee object, and what it looked like then."""

import hashlib

from .models import ImportedItem


def digest(*parts):
    """A stable hash of exported data: equal when nothing that decides the import changed."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part if isinstance(part, bytes) else str(part).encode())
    return sha.hexdigest()


class Ledger:
    """``ImportedItem`` rows of one source (a WordPress site, a Letterboxd member)."""

    def __init__(self, source):
        self.source = source[:255]

    def remembered(self, kind, key):
        return ImportedItem.objects.filter(source=self.source, kind=kind, key=str(key)).first()

    def remember(self, kind, key, obj, fingerprint):
        ImportedItem.objects.update_or_create(
            source=self.source, kind=kind, key=str(key), defaults={"object_id": obj.pk, "digest": fingerprint}
        )
