from rest_framework.fields import Field


class PeopleField(Field):
    """Credits as [{"name", "slug", "character"?}] in the API."""

    def to_representation(self, credits):
        people = []
        for credit in credits.all():
            person = {"id": credit.person.pk, "name": credit.person.name, "slug": credit.person.slug}
            if hasattr(credit, "character"):
                person["character"] = credit.character
            people.append(person)
        return people


class CriticsField(Field):
    """A review's critics as [{"id", "name", "slug", "url"}] in the API."""

    def to_representation(self, credits):
        return [
            {"id": c.critic.pk, "name": c.critic.name, "slug": c.critic.slug, "url": c.critic.get_absolute_url()}
            for c in credits.all()
        ]
