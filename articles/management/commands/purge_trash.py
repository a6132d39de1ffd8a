"""Delete for good the articles trashed more than 30 days ago (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from articles.models import TRASH_LIFETIME, Article


class Command(BaseCommand):
    help = (
        "Supprime définitivement les articles mis à la corbeille il y a plus de "
        f"{TRASH_LIFETIME.days} jours."
    )

    def handle(self, *args, **options):
        expired = Article.objects.in_trash().trash_expired()
        count = expired.count()
        expired.delete()  # the queryset's delete also removes their search rows
        if options["verbosity"] >= 1:
            self.stdout.write(f"Corbeille : {count} article(s) supprimé(s) définitivement.")
