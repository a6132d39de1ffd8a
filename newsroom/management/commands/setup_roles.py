"""Create the newsroom's groups with exactly their permissions; running it twice changes nothing."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

# Every permission of an app, whatever models it has when the command runs.
EVERY = "*"
ACTIONS = ["add", "change", "delete", "view"]
ARTICLE_MODELS = [
    "article", "author", "theme", "tag", "byline", "taggedarticle", "correction",
    "previewlink", "articleslug",
]  # fmt: skip
# The history tables: who may see an article's versions may see theirs.
HISTORY_MODELS = ["historicalarticle", "historicalauthor", "historicaltheme"]


def codenames(models, actions):
    return [f"{action}_{model}" for model in models for action in actions]


# Group name → {app label → codenames, or EVERY}.
ROLES = {
    # Also manages accounts (deactivated, never deleted) and the reference data.
    "Administrateur": {
        "articles": EVERY,
        "images": EVERY,
        "taggit": EVERY,
        "elections": EVERY,
        "auth": [*codenames(["user"], ["add", "change", "view"]), *codenames(["group"], ACTIONS)],
    },
    # Edits everything, publishes, schedules, unpublishes.
    "Éditeur": {
        "articles": [
            *codenames(ARTICLE_MODELS, ACTIONS),
            *codenames(HISTORY_MODELS, ["view"]),
            "publish_article",
        ],
        "images": EVERY,
        "elections": EVERY,
    },
    # Writes and edits their own articles, submits them for review; never publishes.
    "Journaliste": {
        "articles": [
            *codenames(["article"], ["add", "change", "view"]),
            *codenames(["byline", "taggedarticle"], ACTIONS),
            *codenames(["author", "theme", "tag"], ["view"]),
            "view_historicalarticle",
            "add_tag",
        ],
        "images": codenames(["image"], ["add", "change", "view"]),
    },
}


def permissions(spec):
    """The permissions a role's spec names, looked up by app label and codename."""
    found, missing = [], []
    for app_label, wanted in spec.items():
        queryset = Permission.objects.filter(content_type__app_label=app_label)
        if wanted != EVERY:
            queryset = queryset.filter(codename__in=wanted)
            existing = set(queryset.values_list("codename", flat=True))
            missing += [
                f"{app_label}.{codename}" for codename in wanted if codename not in existing
            ]
        found += queryset
    if missing:
        raise CommandError(
            f"Permissions introuvables : {', '.join(missing)}. Lancez d’abord manage.py migrate."
        )
    return found


class Command(BaseCommand):
    help = "Crée les groupes Administrateur, Éditeur et Journaliste avec leurs permissions."

    def handle(self, *args, **options):
        lines = []
        for name, spec in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            wanted = permissions(spec)
            # set() only adds and removes the difference, so a second run writes nothing.
            group.permissions.set(wanted)
            state = "créé" if created else "à jour"
            lines.append(f"  {name} : {len(wanted)} permissions ({state})")
        if options["verbosity"] >= 1:
            self.stdout.write("Rôles de la rédaction :\n" + "\n".join(lines))
