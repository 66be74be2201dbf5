"""Poster-like images drawn locally for the demo and benchmark content (nothing is downloaded)."""

import io

from PIL import Image, ImageDraw, ImageFont


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def draw_still(title, subtitle, palette, size=(1600, 900)):
    """A diagonal two-colour gradient with the film's title, as JPEG bytes."""
    width, height = size
    top, bottom = (_hex(c) for c in palette)
    gradient = Image.linear_gradient("L").resize(size).rotate(35, expand=False, fillcolor=128)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    draw = ImageDraw.Draw(image)
    # A few soft "film frame" bars give the picture some structure.
    for i in range(6):
        x = int(width * (0.08 + i * 0.16))
        draw.rectangle([x, int(height * 0.78), x + int(width * 0.1), int(height * 0.86)], fill=top)
    title_font = ImageFont.load_default(size=max(40, min(width // 14, int(width * 1.6 / max(len(title), 1)))))
    sub_font = ImageFont.load_default(size=max(24, width // 40))
    draw.text((width * 0.06, height * 0.32), title, font=title_font, fill=(255, 255, 255))
    draw.text((width * 0.06, height * 0.32 + width // 12), subtitle, font=sub_font, fill=(235, 235, 235))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
