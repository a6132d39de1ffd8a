import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from images import renditions, uploads


class Image(models.Model):
    """An image of the media library, with what readers need to know about it."""

    file = models.ImageField(
        "fichier",
        upload_to=uploads.UnguessableName("images/%Y/%m"),
        width_field="width",
        height_field="height",
        max_length=255,
        validators=[uploads.validate_upload],
        help_text="JPEG, PNG, WebP ou GIF. Les métadonnées (dont la position GPS) sont retirées.",
    )
    width = models.PositiveIntegerField("largeur", editable=False)
    height = models.PositiveIntegerField("hauteur", editable=False)
    title = models.CharField(
        "titre",
        max_length=200,
        blank=True,
        help_text="Pour retrouver l’image dans la médiathèque. Vide : tiré du nom du fichier.",
    )
    alt_text = models.CharField(
        "texte alternatif",
        max_length=250,
        help_text="Ce que montre l’image, pour qui ne la voit pas.",
    )
    caption = models.CharField("légende", max_length=300, blank=True)
    credit = models.CharField(
        "crédit", max_length=120, blank=True, help_text="Le photographe, l’agence : « AFP »."
    )
    focal_x = models.FloatField(
        "point d’intérêt, horizontal",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="De 0 (bord gauche) à 1 (bord droit). Cliquez sur l’aperçu pour le placer.",
    )
    focal_y = models.FloatField(
        "point d’intérêt, vertical",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="De 0 (en haut) à 1 (en bas). Cliquez sur l’aperçu pour le placer.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="uploaded_images",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(
        verbose_name="version d’image", verbose_name_plural="versions d’images"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "image"
        verbose_name_plural = "images"
        constraints = [
            models.CheckConstraint(condition=~Q(file=""), name="image_has_a_file"),
            models.CheckConstraint(condition=~Q(alt_text=""), name="image_has_alt_text"),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1),
                name="focal_point_is_inside_the_image_across",
            ),
            models.CheckConstraint(
                condition=Q(focal_y__gte=0, focal_y__lte=1),
                name="focal_point_is_inside_the_image_down",
            ),
        ]

    def __str__(self):
        return self.title or PurePosixPath(self.file.name).name

    def save(self, *args, **kwargs):
        # A new upload is stored re-encoded, never as sent; Django's FileField.pre_save tests
        # the same flag to know whether the file is still to be stored.
        if self.file and not self.file._committed:
            self.file.file = uploads.reencode(self.file)
        if not self.title:
            self.title = title_from_filename(self.file.name)[:200]
        super().save(*args, **kwargs)
        # The renditions are this row's own derived files, as a slug is a derived field:
        # written here, the missing ones only (a focal point moved, a new file).
        self.write_renditions()

    def renditions(self, kind):
        """The "full", "card" or "social" copies' URLs and sizes, from the row alone (no I/O)."""
        return renditions.rendition_set(self.plan(kind), self.file.storage)

    @property
    def social_image(self):
        """The social crop in JPEG, as the page's Open Graph and X card tags want it."""
        social = self.renditions("social").jpeg[-1]
        return {
            "url": social.url,
            "width": social.width,
            "height": social.height,
            "alt": self.alt_text,
        }

    def plan(self, kind):
        return renditions.plan(
            self.file.name, (self.width, self.height), (self.focal_x, self.focal_y), kind
        )

    def write_renditions(self, *, force=False):
        """Write the copies that are missing (all of them with `force`); return how many."""
        planned = [rendition for kind in renditions.KINDS for rendition in self.plan(kind)]
        return renditions.write(self.file, planned, force=force)


def title_from_filename(name):
    """The title a file name suggests: "hemicycle_senat-2026.jpg" gives "hemicycle senat 2026"."""
    return re.sub(r"[\s_-]+", " ", PurePosixPath(name).stem).strip()
