from django.core.management.base import BaseCommand, CommandError

from elections.importers import ImportRefused, import_results, sources_from_paths
from elections.models import Election


class Command(BaseCommand):
    help = (
        "Importe des résultats officiels (flux XML du ministère, fichier CSV des candidats) "
        "en une seule transaction : tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("election", help="Le slug de l’élection, ex. senatoriales-2026.")
        parser.add_argument("paths", nargs="+", help="Fichiers ou dossiers à importer.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Montre ce qui changerait, sans rien écrire."
        )

    def handle(self, *args, election, paths, dry_run, verbosity, **options):
        self.verbosity = verbosity
        try:
            election = Election.objects.get(slug=election)
        except Election.DoesNotExist:
            raise CommandError(f"Aucune élection « {election} ».") from None
        try:
            sources = sources_from_paths(paths)
        except OSError as error:
            raise CommandError(f"Lecture impossible : {error}") from None
        try:
            summary = import_results(
                election=election, sources=sources, dry_run=dry_run, progress=self.progress
            )
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Import refusé : {len(refused.problems)} problème(s). Rien n’a été modifié."
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Simulation : rien n’a été écrit.")

    def progress(self, number, total, name):
        if self.verbosity >= 2 or total > 10:
            self.stdout.write(f"[{number}/{total}] {name}")
