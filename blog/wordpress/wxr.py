"""Reading WordPress's export format (WXR 1.0–1.2, Tools → Export) into plain records.

The file is parsed with defusedxml, so entity bombs and external entities are
refused. Element names are matched by local name within WordPress's own
namespaces, whichever WXR version wrote them.
"""

import datetime
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
# WordPress.org writes http://wordpress.org/export/1.2/; WordPress.com exports use https.
WP_NS_PREFIXES = ("http://wordpress.org/export/", "https://wordpress.org/export/")


class WXRError(Exception):
    """The file cannot be imported; the message says why (and where, when known)."""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    description: str = ""  # not in WordPress's own exports; some plugins add the author's bio

    @property
    def byline(self):
        """The name WordPress showed readers: the author's chosen display name, else their full name."""
        return self.display_name or f"{self.first_name} {self.last_name}".strip() or self.login


@dataclass
class Term:
    domain: str  # "category" or "post_tag"
    slug: str
    name: str


@dataclass
class Comment:
    wp_id: int
    author: str
    email: str
    url: str
    date: datetime.datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    parent: int
    type: str
    user_id: int


@dataclass
class Item:
    wp_id: int
    post_type: str
    title: str
    link: str
    slug: str
    status: str
    creator: str
    content: str
    excerpt: str
    date: datetime.datetime | None
    parent: int = 0
    attachment_url: str = ""
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    raw: bytes = b""


@dataclass
class Export:
    version: str
    title: str
    base_site_url: str
    base_blog_url: str
    authors: dict
    items: list


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _ns(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _is_wp(element):
    return _ns(element.tag).startswith(WP_NS_PREFIXES) and "/excerpt" not in _ns(element.tag)


def _wp(element, name, default=""):
    for child in element:
        if _local(child.tag) == name and _is_wp(child):
            return (child.text or "").strip() if name not in ("comment_content",) else (child.text or "")
    return default


def _child_text(element, namespace, name):
    for child in element:
        if _local(child.tag) == name and (namespace is None or _ns(child.tag) == namespace):
            return child.text or ""
    return ""


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _gmt(value):
    """WordPress's "2020-11-24 18:22:18" GMT dates; its zero date means "not set"."""
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.UTC)
    except ValueError:
        return None


def _pubdate(value):
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


def read(path):
    """Parse the export at ``path``; raise WXRError naming the problem if it is not one."""
    try:
        tree = parse(path, forbid_dtd=True)
    except ParseError as error:
        # expat's message names the line and column, e.g. "no element found: line 120, column 4".
        raise WXRError(f"{path} is not well-formed XML: {error}") from None
    except DefusedXmlException as error:
        raise WXRError(f"{path} uses XML features that are refused for safety: {error}") from None
    except OSError as error:
        raise WXRError(f"cannot read {path}: {error.strerror or error}") from None

    root = tree.getroot()
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise WXRError(f"{path} is not a WordPress export: its root element is <{_local(root.tag)}>, not <rss>.")
    version = _wp(channel, "wxr_version")
    if not version:
        raise WXRError(f"{path} is not a WordPress export: the channel has no <wp:wxr_version>.")

    authors = {}
    for element in channel:
        if _local(element.tag) == "author" and _is_wp(element):
            author = Author(
                login=_wp(element, "author_login"),
                email=_wp(element, "author_email"),
                display_name=_wp(element, "author_display_name"),
                first_name=_wp(element, "author_first_name"),
                last_name=_wp(element, "author_last_name"),
                description=_wp(element, "author_description"),
            )
            authors[author.login] = author

    items = [_item(element) for element in channel.findall("item")]
    return Export(
        version=version,
        title=_child_text(channel, None, "title").strip(),
        base_site_url=_wp(channel, "base_site_url").rstrip("/"),
        base_blog_url=_wp(channel, "base_blog_url").rstrip("/"),
        authors=authors,
        items=items,
    )


def _item(element):
    meta = {}
    comments = []
    terms = []
    for child in element:
        name = _local(child.tag)
        if name == "postmeta" and _is_wp(child):
            meta[_wp(child, "meta_key")] = _wp(child, "meta_value")
        elif name == "comment" and _is_wp(child):
            comments.append(
                Comment(
                    wp_id=_int(_wp(child, "comment_id")),
                    author=_wp(child, "comment_author"),
                    email=_wp(child, "comment_author_email"),
                    url=_wp(child, "comment_author_url"),
                    date=_gmt(_wp(child, "comment_date_gmt")),
                    content=_wp(child, "comment_content"),
                    approved=_wp(child, "comment_approved"),
                    parent=_int(_wp(child, "comment_parent")),
                    type=_wp(child, "comment_type"),
                    user_id=_int(_wp(child, "comment_user_id")),
                )
            )
        elif name == "category" and not _ns(child.tag):
            terms.append(Term(child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip()))
    excerpt = ""
    for child in element:
        if _local(child.tag) == "encoded" and "/excerpt" in _ns(child.tag):
            excerpt = child.text or ""
    return Item(
        wp_id=_int(_wp(element, "post_id")),
        post_type=_wp(element, "post_type"),
        title=(_child_text(element, "", "title") or "").strip(),
        link=(_child_text(element, "", "link") or "").strip(),
        slug=_wp(element, "post_name"),
        status=_wp(element, "status"),
        creator=(_child_text(element, DC_NS, "creator") or "").strip(),
        content=_child_text(element, CONTENT_NS, "encoded"),
        excerpt=excerpt,
        date=_gmt(_wp(element, "post_date_gmt")) or _pubdate(_child_text(element, "", "pubDate")),
        parent=_int(_wp(element, "post_parent")),
        attachment_url=_wp(element, "attachment_url"),
        terms=terms,
        meta=meta,
        comments=comments,
        raw=tostring(element),
    )
