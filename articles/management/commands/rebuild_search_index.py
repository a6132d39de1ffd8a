from django.core.management.base import BaseCommand

from articles import search
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Reconstruit l’index de recherche de tous les articles (après des update() en masse, "
        "par exemple). Le relancer ne change rien."
    )

    def handle(self, *args, **options):
        count = search.rebuild_index(Article.objects.all())
        if options["verbosity"] >= 1:
            self.stdout.write(f"Index de recherche reconstruit : {count} article(s).")
