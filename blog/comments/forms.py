import re
import secrets
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import MAX_DEPTH, Comment

MIN_SECONDS_TO_WRITE = 2
FORM_MAX_AGE = 60 * 60 * 24  # a form older than a day must be reloaded
TIMESTAMP_SALT = "marquee.comments.started"
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def form_token(issued_at=None):
    """A signed token naming when the form was shown, and an id that lets it send one comment.

    Handed out fresh (by the form page and the per-reader state), never in cached HTML.
    """
    payload = {"at": time.time() if issued_at is None else issued_at, "id": secrets.token_urlsafe(16)}
    return signing.dumps(payload, salt=TIMESTAMP_SALT)


class CommentForm(forms.ModelForm):
    website = forms.URLField(required=False, max_length=200, assume_scheme="https", label=_("Website (optional)"))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # A trap for bots: hidden from people (and screen readers), filled by form robots.
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = Comment
        fields = ["name", "email", "website", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "maxlength": 5000})}
        error_messages = {"text": {"max_length": _("Please keep comments under 5,000 characters.")}}

    def __init__(self, *args, review, **kwargs):
        self.review = review
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs["autocomplete"] = "url"
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "<" in name or ">" in name:
            raise forms.ValidationError(_("Names cannot contain < or >."))
        return name

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not website.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Enter a web address starting with http:// or https://."))
        return website

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write a comment."))
        if HTML_TAG.search(text):
            raise forms.ValidationError(_("Please write plain text: HTML tags are not allowed."))
        return text

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.approved().filter(pk=parent_id, review=self.review).first()
        if parent is None:
            raise forms.ValidationError(_("The comment you are replying to is not on this review."))
        if parent.depth >= MAX_DEPTH:
            raise forms.ValidationError(_("Replies can only go %(n)d levels deep.") % {"n": MAX_DEPTH + 1})
        return parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            raise forms.ValidationError(_("Your comment could not be accepted."), code="honeypot")
        try:
            token = signing.loads(cleaned.get("started") or "", salt=TIMESTAMP_SALT, max_age=FORM_MAX_AGE)
            self.issued_at, self.token_id = float(token["at"]), str(token["id"])
        except (signing.BadSignature, TypeError, KeyError, ValueError):
            # A forged token, or one from before tokens carried an id.
            raise forms.ValidationError(
                _("This form has expired. Please reload the page and send your comment again."), code="expired"
            ) from None
        elapsed = time.time() - self.issued_at
        if elapsed > FORM_MAX_AGE:
            raise forms.ValidationError(
                _("This form has expired. Please reload the page and send your comment again."), code="expired"
            )
        if elapsed < MIN_SECONDS_TO_WRITE:
            raise forms.ValidationError(_("That was quick! Please check your comment and send it again."), code="fast")
        return cleaned

    def save(self, commit=True):
        comment = super().save(commit=False)
        comment.review = self.review
        comment.parent = self.cleaned_data.get("parent")
        comment.form_token = self.token_id
        if commit:
            comment.save()
        return comment
