"""Today's bylines become Critic records, losing nothing.

A review's byline was its "Critic" text, else its owner's full name. Each
distinct name becomes one Critic (names compared without regard to case or
surrounding spaces); a critic named after a page owner is linked to that
account, so "My reviews" finds their work. Reviews with neither keep no byline,
as before. Going back writes the first critic's name into the text again.
"""

from anyascii import anyascii
from django.db import migrations
from django.utils.text import slugify



def full_name(user):
    # Historical models have no methods of their own.
    return f"{user.first_name} {user.last_name}".strip() if user else ""


def unique_slug(Critic, name):
    base = slugify(anyascii(name))[:90] or "critic"
    slug, n = base, 2
    while Critic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def bylines_to_critics(apps, schema_editor):
    ReviewPage = apps.get_model("blog", "ReviewPage")
    Critic = apps.get_model("blog", "Critic")
    ReviewCritic = apps.get_model("blog", "ReviewCritic")
    by_name = {}
    for review in ReviewPage.objects.select_related("owner").order_by("pk"):
        text = review.critic.strip()
        name = text or full_name(review.owner)
        if not name:
            continue
        critic = by_name.get(name.casefold())
        if critic is None:
            critic = Critic.objects.create(name=name[:100], slug=unique_slug(Critic, name))
            by_name[name.casefold()] = critic
        if critic.user_id is None and review.owner_id and full_name(review.owner).casefold() == name.casefold():
            if not Critic.objects.filter(user_id=review.owner_id).exists():
                critic.user_id = review.owner_id
                critic.save(update_fields=["user"])
        ReviewCritic.objects.create(page_id=review.pk, critic=critic, sort_order=0)


def critics_to_bylines(apps, schema_editor):
    ReviewPage = apps.get_model("blog", "ReviewPage")
    ReviewCritic = apps.get_model("blog", "ReviewCritic")
    for credit in ReviewCritic.objects.select_related("critic").order_by("page_id", "sort_order").reverse():
        ReviewPage.objects.filter(pk=credit.page_id).update(critic=credit.critic.name)


class Migration(migrations.Migration):
    dependencies = [("blog", "0006_critics")]

    operations = [migrations.RunPython(bylines_to_critics, critics_to_bylines)]
