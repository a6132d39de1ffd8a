from django.core.management.base import BaseCommand

from elections.models import Constituency, ParliamentaryGroup, Senator
from elections.reference import load_reference


class Command(BaseCommand):
    help = (
        "Charge les données de référence : les 109 circonscriptions sénatoriales, les groupes "
        "du Sénat et les sénateurs. Sans compte ni contenu de démonstration ; relancer ne "
        "change rien."
    )

    def handle(self, *args, **options):
        changes, problems = load_reference()
        for problem in problems:
            self.stderr.write(f"À vérifier : {problem}")
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Données de référence : {Constituency.objects.count()} circonscriptions, "
                f"{ParliamentaryGroup.objects.count()} groupes, {Senator.objects.count()} "
                f"sénateurs. Créations : {changes['created']}, mises à jour : "
                f"{changes['updated']}."
            )
