"""The admin's forms for building lists quickly: "Add to list…" on chosen reviews, and a year-end draft."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from blog.models import FIRST_FILM_YEAR

from .models import ListPage

MAX_DRAFTED = 50


class AddToListForm(forms.Form):
    """A list to add the chosen reviews to: one already made, or a new draft with this title."""

    existing = forms.ModelChoiceField(
        label=_("Add to"),
        queryset=ListPage.objects.order_by("title"),
        required=False,
        empty_label=_("A new list…"),
    )
    new_title = forms.CharField(
        label=_("New list's title"), max_length=255, required=False, help_text=_("e.g. “The best of 2020”.")
    )

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("existing") and not (cleaned_data.get("new_title") or "").strip():
            raise forms.ValidationError(_("Choose a list, or give the new list a title."))
        return cleaned_data


class YearEndListForm(forms.Form):
    year = forms.IntegerField(
        label=_("Films released in"), min_value=FIRST_FILM_YEAR, help_text=_("The list takes that year's films.")
    )
    size = forms.IntegerField(
        label=_("How many films"), min_value=2, max_value=MAX_DRAFTED, initial=10, help_text=_("At most 50.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = datetime.date.today().year
        year = self.fields["year"]
        year.initial = this_year
        year.validators.append(MaxValueValidator(this_year))
        year.widget.attrs["max"] = this_year
