from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import STARS

STAR_CHOICES = [(n, ngettext_lazy("%(n)d star", "%(n)d stars", n) % {"n": n}) for n in STARS]


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("Your star rating"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose from 1 to 5 stars."),
            "invalid_choice": _("Choose from 1 to 5 stars."),
        },
    )
