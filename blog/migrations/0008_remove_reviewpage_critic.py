from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("blog", "0007_critics_from_bylines")]

    operations = [migrations.RemoveField(model_name="reviewpage", name="critic")]
