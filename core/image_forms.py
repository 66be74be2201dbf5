"""The admin's image upload form: a file that cannot be decoded is a form error.

Wagtail's ``WagtailImageField`` recognises a file by its header, then counts its
pixels by opening it, and a real PNG or JPEG cut short fails there with Pillow's
``OSError: image file is truncated``, a 500. ``CheckedImageField`` turns that,
and a file Pillow cannot read to the end, into the field's own error.
``WAGTAILIMAGES_IMAGE_FORM_BASE`` points Wagtail's add, edit, multiple-upload
and chooser forms at ``ImageForm``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

CORRUPT = _("This image file is truncated or corrupt: please export it again and upload the new file.")


class CheckedImageField(WagtailImageField):
    def to_python(self, data):
        try:
            checked = super().to_python(data)
            if checked is not None:
                # verify() reads the whole file through its decoder's checks (a
                # PNG's checksums, for one) without keeping the pixels in memory.
                with Image.open(checked) as image:
                    image.verify()
                checked.seek(0)
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(CORRUPT, code="corrupt_image") from error
        return checked


class ImageForm(BaseImageForm):
    file = CheckedImageField(label=_("File"))
