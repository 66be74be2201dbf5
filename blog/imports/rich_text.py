"""Post HTML (WordPress: classic editor or blocks, with shortcodes; Letterboxd: simple tags) → Marquee body blocks.

`convert()` returns plain block descriptions; the importer resolves images and
affiliate links and builds the StreamField value. Rich text goes through
Wagtail's own whitelist for the paragraph block's features, so scripts, inline
event handlers and styles never survive.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from blog.blocks import parse_video_url
from core.blocks import PARAGRAPH_FEATURES

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S | re.I)
SHORTCODE = re.compile(r"\[\[?/?[a-zA-Z][\w-]*(?:\s[^\[\]]*)?/?\]\]?")
WP_IMAGE_CLASS = re.compile(r"wp-image-(\d+)")
DATED_PATH = re.compile(r"\d{4}/\d{2}/[^/]+$")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = {"iframe", "p", "ul", "ol", "blockquote", "figure", "div", "table", "pre", "hr"} | HEADINGS
DROP_TAGS = {"script", "style", "noscript", "form", "input", "button", "select", "textarea", "object", "embed"}
DISCLOSURE_WORDS = ("earn from qualifying purchases", "affiliate link")
AMAZON_HOSTS = re.compile(r"(^|\.)(amazon\.[a-z.]+|amzn\.to)$")
TRACKING_KEYS = {"tag", "linkCode", "linkId", "ref", "ref_", "camp", "creative", "creativeASIN", "ascsubtag"}

_converter = EditorHTMLConverter(features=PARAGRAPH_FEATURES)


@dataclass
class AffiliateHit:
    url: str
    text: str


@dataclass
class Converted:
    blocks: list = field(default_factory=list)  # (type, value) with images as dicts to resolve
    affiliate_links: list = field(default_factory=list)
    disclosure: str = ""


def clean_rich_text(html):
    """Wagtail's rich-text whitelist for paragraphs: allowed tags and attributes only."""
    return _converter.to_database_format(html).strip()


def image_key(src):
    """The uploads path of an image URL without WordPress's size suffix: 2020/11/still.jpg.

    Works for self-hosted uploads (…/wp-content/uploads/2020/11/still-300x200.jpg),
    WordPress.com files and its image CDN (i0.wp.com/site.files.wordpress.com/2020/11/still.jpg).
    """
    path = urlsplit(src or "").path
    if "/uploads/" in path:
        path = path.split("/uploads/", 1)[1]
    else:
        dated = DATED_PATH.search(path)
        path = dated.group(0) if dated else path.rsplit("/", 1)[-1]
    return SIZE_SUFFIX.sub("", path.lstrip("/"))


def is_affiliate(url, program_domains):
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if not host:
        return False
    if any(host == d or host.endswith("." + d) for d in program_domains):
        return True
    return bool(AMAZON_HOSTS.search(host)) and any(key == "tag" for key, _ in parse_qsl(parts.query))


def _caption_to_figure(match):
    attributes, inner = match.group(1), match.group(2)
    soup = BeautifulSoup(inner, "html.parser")
    image = soup.find("img")
    if image is None:
        return inner
    holder = image.parent if image.parent and image.parent.name == "a" else image
    image_html = str(image)
    holder.extract()
    caption = soup.get_text(" ", strip=True)
    if not caption:
        found = re.search(r'caption="([^"]*)"', attributes)
        caption = found.group(1) if found else ""
    return f"\n\n<figure>{image_html}<figcaption>{caption}</figcaption></figure>\n\n"


def autop(text):
    """WordPress's wpautop, in short: blank lines make paragraphs, single newlines line breaks."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        first = re.match(r"<\s*([a-zA-Z0-9]+)", chunk)
        if first and first.group(1).lower() in BLOCK_TAGS:
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def prepare(html):
    html = BLOCK_COMMENT.sub("", html or "")
    html = CAPTION.sub(_caption_to_figure, html)
    html = EMBED.sub(lambda m: f"\n\n{m.group(1).strip()}\n\n", html)
    html = SHORTCODE.sub("", html)
    if not re.search(r"<p[\s>]", html, re.I):
        html = autop(html)
    return html


def _image(img, caption=""):
    classes = " ".join(img.get("class") or [])
    wp_id = WP_IMAGE_CLASS.search(classes)
    return (
        "image",
        {
            "src": img.get("src", ""),
            "wp_id": int(wp_id.group(1)) if wp_id else None,
            "alt": (img.get("alt") or "").strip(),
            "caption": caption.strip()[:250],
        },
    )


def convert(html, program_domains=()):
    """Body blocks, affiliate links and any affiliate disclosure found in ``html``."""
    result = Converted()
    soup = BeautifulSoup(prepare(html), "html.parser")
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    pending = []  # inline nodes waiting to become a paragraph

    def flush():
        if pending:
            paragraph("".join(str(node) for node in pending))
            pending.clear()

    def paragraph(inner_html, wrapper="p"):
        fragment = BeautifulSoup(f"<{wrapper}>{inner_html}</{wrapper}>", "html.parser")
        for frame in fragment.find_all("iframe"):
            if parse_video_url(frame.get("src", "")):
                result.blocks.append(("trailer", {"url": frame["src"]}))
            frame.decompose()
        text = fragment.get_text(" ", strip=True)
        if not text and not fragment.find("img"):
            return
        video = parse_video_url(text) if " " not in text else None
        if video and len(fragment.find_all("a")) <= 1 and not fragment.find("img"):
            result.blocks.append(("trailer", {"url": text}))
            return
        images = fragment.find_all("img")
        if images and not fragment.get_text(strip=True):
            for img in images:
                result.blocks.append(_image(img))
            return
        if any(word in text.lower() for word in DISCLOSURE_WORDS) and len(text) < 300:
            result.disclosure = result.disclosure or text
            return
        links = [a for a in fragment.find_all("a") if is_affiliate(a.get("href"), program_domains)]
        if links:
            result.affiliate_links += [AffiliateHit(a["href"], a.get_text(" ", strip=True)) for a in links]
            rest = text
            for a in links:
                rest = rest.replace(a.get_text(" ", strip=True), "")
            if len(rest.strip(" –-:|,.")) < 60:
                return  # an affiliate line: it becomes the review's "Where to watch"
            for a in links:
                a.unwrap()
        for img in fragment.find_all("img"):
            result.blocks.append(_image(img))
            img.decompose()
        cleaned = re.sub(
            r"^(<[ou]l>|<p>)(\s*<br/?>\s*)+|(\s*<br/?>\s*)+(?=</p>$)", r"\1", clean_rich_text(str(fragment))
        )
        if BeautifulSoup(cleaned, "html.parser").get_text(strip=True):
            result.blocks.append(("paragraph", cleaned))

    def walk(nodes):
        for node in list(nodes):
            if isinstance(node, NavigableString):
                if str(node).strip():
                    pending.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                flush()
                text = node.get_text(" ", strip=True)[:120]
                if text:
                    result.blocks.append(("heading", {"text": text, "level": "h2" if name in {"h1", "h2"} else "h3"}))
            elif name == "p":
                flush()
                paragraph(node.decode_contents())
            elif name in {"ul", "ol"}:
                flush()
                paragraph(node.decode_contents(), wrapper=name)
            elif name == "blockquote":
                flush()
                cite = node.find("cite")
                attribution = cite.extract().get_text(" ", strip=True) if cite else ""
                quote = node.get_text(" ", strip=True)
                if quote:
                    result.blocks.append(("pull_quote", {"quote": quote[:400], "attribution": attribution[:120]}))
            elif name == "figure":
                flush()
                img = node.find("img")
                frame = node.find("iframe")
                caption = node.find("figcaption")
                caption_text = caption.get_text(" ", strip=True) if caption else ""
                if img is not None:
                    result.blocks.append(_image(img, caption_text))
                elif frame is not None and parse_video_url(frame.get("src", "")):
                    result.blocks.append(("trailer", {"url": frame["src"], "caption": caption_text}))
                else:
                    text = node.get_text(" ", strip=True).split(" ")[0] if node.get_text(strip=True) else ""
                    if parse_video_url(text):
                        result.blocks.append(("trailer", {"url": text, "caption": caption_text}))
                    elif caption:
                        caption.extract()
                        walk(node.children)
                        flush()
            elif name == "iframe":
                flush()
                if parse_video_url(node.get("src", "")):
                    result.blocks.append(("trailer", {"url": node["src"]}))
            elif name == "img":
                flush()
                result.blocks.append(_image(node))
            elif name in {"div", "section", "article", "main", "span"} and node.find(BLOCK_TAGS | {"img", "iframe"}):
                flush()
                walk(node.children)
                flush()
            elif name == "hr":
                flush()
            elif name in {"table", "pre"}:
                flush()
                text = node.get_text(" ", strip=True)
                if text:
                    paragraph(text)
            else:
                pending.append(node)
        flush()

    walk(soup.children)
    return result
