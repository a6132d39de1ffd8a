from django.core.management.base import BaseCommand

from images.models import Image


class Command(BaseCommand):
    help = (
        "Écrit les copies manquantes (tailles, recadrages) des images de la médiathèque. "
        "Le relancer ne change rien ; --force les refait toutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Refaire toutes les copies, même présentes."
        )

    def handle(self, *args, force=False, **options):
        images = written = 0
        for image in Image.objects.order_by("pk").iterator():
            written += image.write_renditions(force=force)
            images += 1
        if options["verbosity"] >= 1:
            self.stdout.write(f"{written} copie(s) écrite(s) pour {images} image(s).")
