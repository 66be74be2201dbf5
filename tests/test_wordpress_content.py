"""WordPress HTML → body blocks, for the shapes real exports contain."""

import pytest

from blog.imports.rich_text import convert, image_key


@pytest.mark.parametrize(
    "url",
    [
        "https://oldfilmblog.example/wp-content/uploads/2020/11/still-300x200.jpg",
        "https://oldfilmblog.example/wp-content/uploads/2020/11/still.jpg",
        "https://i0.wp.com/critic.files.wordpress.com/2020/11/still.jpg",
        "https://critic.files.wordpress.com/2020/11/still-1024x576.jpg?w=640",
        "2020/11/still.jpg",
    ],
)
def test_image_urls_of_every_kind_find_their_upload(url):
    assert image_key(url) == "2020/11/still.jpg"


def test_classic_paragraphs_line_breaks_and_hostile_markup():
    html = (
        'First line\nsecond line.\n\n<p onclick="x()">Clicked <b style="color:red">bold</b><script>bad()</script></p>'
    )
    blocks = convert(html).blocks
    assert [kind for kind, _ in blocks] == ["paragraph", "paragraph"]
    assert "onclick" not in blocks[1][1] and "style" not in blocks[1][1] and "bad()" not in blocks[1][1]
    assert "<b>bold</b>" in blocks[1][1]


def test_gallery_and_other_shortcodes_disappear_but_their_text_stays():
    blocks = convert('[gallery ids="1,2,3"]\n\n[su_box title="Note"]Kept text[/su_box]\n\n[[escaped]]').blocks
    assert blocks == [("paragraph", "<p>Kept text</p>")]


def test_caption_shortcode_without_link_and_with_caption_attribute():
    html = (
        '[caption id="attachment_9" width="600" caption="Old style caption"]'
        '<img src="/wp-content/uploads/2019/01/a.jpg" class="wp-image-9" alt="A" />[/caption]'
    )
    [(kind, value)] = convert(html).blocks
    assert kind == "image" and value["wp_id"] == 9 and value["caption"] == "Old style caption" and value["alt"] == "A"


def test_iframe_embeds_become_trailers_and_other_iframes_go():
    html = '<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ"></iframe><iframe src="https://ads.example/x"></iframe>'
    assert convert(html).blocks == [("trailer", {"url": "https://www.youtube.com/embed/aqz-KE-bpKQ"})]
