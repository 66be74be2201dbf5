from django import forms
from django.utils.translation import gettext_lazy as _

from blog.models import RATING_CHOICES, Genre

DECADES = [(f"{d}s", f"{d}s") for d in range(2020, 1910, -10)]
SORTS = [("relevance", _("Best match")), ("newest", _("Newest")), ("rating", _("Highest rated"))]
MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=5000, strip=True)
    genre = forms.ModelChoiceField(
        Genre.objects.all(), to_field_name="slug", required=False, empty_label=_("Any genre")
    )
    decade = forms.ChoiceField(choices=[("", _("Any decade"))] + DECADES, required=False)
    min_rating = forms.TypedChoiceField(
        label=_("Critic's rating"),
        choices=[("", _("Any rating"))]
        + [(f"{v:.1f}", f"{float(v):g}+ stars") for v, _l in RATING_CHOICES if v][::-1],
        coerce=float,
        required=False,
        empty_value=None,
    )
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def clean_q(self):
        # Very long queries are cut rather than refused: the start is what matters.
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]
