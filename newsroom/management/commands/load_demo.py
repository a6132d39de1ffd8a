"""Load the demo content: accounts, themes, authors, articles with their pictures, elections.

Running it twice changes nothing. Rows are found by username or slug and saved only when a
value differs, since every save would move `updated_at`. A picture is drawn only when storage
lacks its file, under a name fixed by the slug, so files are neither rewritten nor duplicated.
"""

import zlib
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Author, Byline, Theme
from articles.text import sanitize_html, slugify_fr
from images.models import Image
from newsroom.demo import drawings, typeset
from newsroom.demo.articles import ARTICLES, AUTHORS, CAPTIONS, IMAGE_KINDS, THEMES
from newsroom.demo.elections import load_elections

PARIS = ZoneInfo("Europe/Paris")
CREDIT = "Illustration Séance publique"
# For a laptop only: these passwords are public.
ACCOUNTS = {
    "admin": {"password": "admin-demo", "group": "Administrateur", "is_superuser": True},
    "editeur": {"password": "editeur-demo", "group": "Éditeur", "is_superuser": False},
    "journaliste": {"password": "journaliste-demo", "group": "Journaliste", "is_superuser": False},
}


def paris_time(text):
    return datetime.fromisoformat(text).replace(tzinfo=PARIS) if text else None


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (comptes, thématiques, auteurs, articles)."

    def handle(self, *args, **options):
        call_command("setup_roles", verbosity=options["verbosity"], stdout=self.stdout)
        self.changes = Counter()
        with transaction.atomic():
            users = {
                username: self.load_account(username, **account)
                for username, account in ACCOUNTS.items()
            }
            themes = {data["slug"]: self.load_theme(data) for data in THEMES}
            authors = {data["slug"]: self.load_author(data, users) for data in AUTHORS}
            for data in ARTICLES:
                self.load_article(data, themes, authors)
            # After the articles: the reference story is linked to its race.
            load_elections(stdout=self.stdout if options["verbosity"] >= 1 else None)
        if options["verbosity"] >= 1:
            self.report()

    def load_account(self, username, *, password, group, is_superuser):
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        is_stale = self.update(user, {"is_staff": True, "is_superuser": is_superuser})
        # Hashing is slow and salted: set the password only when it no longer matches.
        if user._state.adding or not user.check_password(password):
            user.set_password(password)
            is_stale = True
        if is_stale:
            self.save(user)
        user.groups.set([Group.objects.get(name=group)])
        return user

    def load_theme(self, data):
        fields = {
            "name": data["name"],
            "description": typeset(data["description"]),
            "position": data["position"],
        }
        return self.sync(Theme, slug=data["slug"], fields=fields)

    def load_author(self, data, users):
        initials = "".join(word[0] for word in data["name"].split()[:2])
        photo = self.picture(
            Author,
            "photo",
            f"authors/demo/{data['slug']}.png",
            lambda: drawings.portrait(initials, data["colour"]),
        )
        user = users.get(data.get("user"))
        fields = {
            "name": data["name"],
            "job_title": data["job_title"],
            "bio": typeset(data["bio"]),
            "photo": photo,
            "user_id": user.pk if user else None,
        }
        return self.sync(Author, slug=data["slug"], fields=fields)

    def load_article(self, data, themes, authors):
        slug = data["slug"]
        kind = IMAGE_KINDS[data["theme"]]
        # crc32, not hash(): Python salts str hashes per process.
        sketch = drawings.sketch(kind, zlib.crc32(slug.encode()))
        # FileField names hold 100 characters: a shortened slug keeps well inside.
        name = f"articles/demo/{slugify_fr(slug, max_length=70)}.jpg"
        fields = {
            "headline": typeset(data["headline"]),
            "seo_title": typeset(data.get("seo_title", "")),
            "standfirst": typeset(data["standfirst"]),
            # Compared as save() will store it, or every run would see a change.
            "body": sanitize_html(typeset("\n".join(data["body"]))),
            "theme_id": themes[data["theme"]].pk,
            "status": data.get("status", Article.Status.PUBLISHED),
            "published_at": paris_time(data.get("published")),
            "revised_at": paris_time(data.get("revised")),
            "is_lead": data.get("is_lead", False),
            "lead_image_id": self.library_image(
                name,
                sketch.jpeg,
                title=typeset(data["headline"])[:200],
                alt_text=typeset(sketch.alt),
                caption=typeset(data.get("caption", CAPTIONS[kind])),
                credit=CREDIT,
            ).pk,
        }
        article = self.sync(Article, slug=slug, fields=fields)
        self.sync_bylines(article, [authors[author] for author in data["authors"]])
        # taggit's set() adds and removes only the difference.
        article.tags.set([typeset(tag) for tag in data["tags"]])

    def sync(self, model, *, slug, fields):
        """The row with this slug, created or brought up to date; saved only if a value differs."""
        row = model.objects.filter(slug=slug).first() or model(slug=slug)
        if self.update(row, fields) or row._state.adding:
            self.save(row)
        return row

    def update(self, row, fields):
        """Set the fields that differ on `row`; say whether there were any."""
        stale = {name: value for name, value in fields.items() if getattr(row, name) != value}
        for name, value in stale.items():
            setattr(row, name, value)
        return bool(stale)

    def save(self, row):
        self.changes["created" if row._state.adding else "updated"] += 1
        row.save()

    def sync_bylines(self, article, authors):
        """Bylines in the given order, positions 0, 1, …, touching only what differs."""
        current = {byline.author_id: byline for byline in article.bylines.all()}
        wanted = [author.pk for author in authors]
        removed = [byline.pk for author_id, byline in current.items() if author_id not in wanted]
        if removed:
            Byline.objects.filter(pk__in=removed).delete()
            self.changes["updated"] += 1
        for position, author_id in enumerate(wanted):
            byline = current.get(author_id)
            if byline is None:
                Byline.objects.create(article=article, author_id=author_id, position=position)
                self.changes["created"] += 1
            elif byline.position != position:
                byline.position = position
                byline.save(update_fields=["position"])
                self.changes["updated"] += 1

    def library_image(self, name, draw, **fields):
        """The media library's image stored as `name`, drawn and saved only when missing."""
        self.picture(Image, "file", name, draw)
        image = Image.objects.filter(file=name).first() or Image(file=name)
        # Saving writes the renditions that are missing: the first run makes them all.
        if self.update(image, fields) or image._state.adding:
            self.save(image)
        return image

    def picture(self, model, field_name, name, draw):
        """The name of a picture file, drawn and stored only if storage doesn't have it yet."""
        storage = model._meta.get_field(field_name).storage
        if storage.exists(name):
            return name
        self.changes["drawn"] += 1
        return storage.save(name, ContentFile(draw()))

    def report(self):
        articles = Article.objects.not_in_trash()
        live = articles.published().count()
        drafts = articles.filter(status=Article.Status.DRAFT).count()
        scheduled = articles.scheduled().count()
        self.stdout.write(
            f"Contenu de démonstration : {Theme.objects.count()} thématiques, "
            f"{Author.objects.count()} auteurs, {articles.count()} articles "
            f"(en ligne : {live}, brouillons : {drafts}, programmés : {scheduled}).\n"
            f"Créations : {self.changes['created']}, mises à jour : {self.changes['updated']}, "
            f"images dessinées : {self.changes['drawn']}."
        )
        logins = ", ".join(
            f"{username} / {account['password']} ({account['group']})"
            for username, account in ACCOUNTS.items()
        )
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration : {logins}."))
