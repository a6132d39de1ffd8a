"""Each article's lead image becomes an image of the media library, with its texts.

The files stay where they are. The library's renditions (WebP and JPEG widths, crops) are
derived files that the model's save() writes, which a migration's historical model cannot
call: `manage.py rebuild_renditions` writes the missing ones (make run and make test do).
"""

from pathlib import PurePosixPath

from django.db import migrations


def move_to_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("images", "Image")
    for article in Article.objects.exclude(lead_image="").filter(lead_picture=None):
        name = article.lead_image.name
        image = Image.objects.create(
            file=name,
            width=article.lead_image_width or 0,
            height=article.lead_image_height or 0,
            title=PurePosixPath(name).stem.replace("-", " ")[:200],
            # The database already refused a lead image without alt text.
            alt_text=article.lead_image_alt or article.headline[:250],
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
            uploaded_by_id=article.created_by_id,
        )
        Article.objects.filter(pk=article.pk).update(lead_picture=image)


def move_back(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.exclude(lead_picture=None).select_related("lead_picture"):
        image = article.lead_picture
        Article.objects.filter(pk=article.pk).update(
            lead_image=image.file.name,
            lead_image_width=image.width,
            lead_image_height=image.height,
            lead_image_alt=image.alt_text,
            lead_image_caption=image.caption,
            lead_image_credit=image.credit,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_add_lead_picture"),
        ("images", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_to_library, move_back)]
