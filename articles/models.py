import math
import re
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles import search
from articles.text import plain_text, sanitize_html, slugify_fr, unique_slug
from elections.models import Election, Race
from images.embeds import embed_library_images
from images.uploads import UnguessableName, reencode, validate_upload

# A French reader reads about 200 to 250 words a minute; news copy sits at the low end.
WORDS_PER_MINUTE = 220
# How long a trashed article can be restored before `purge_trash` deletes it for good.
TRASH_LIFETIME = timedelta(days=30)


class AuthorQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Authors who sign at least one article readers may see (the newsroom page)."""
        bylines = Byline.objects.filter(author=models.OuterRef("pk"))
        return self.filter(models.Exists(bylines.filter(article__in=Article.objects.published())))


class Author(models.Model):
    name = models.CharField("nom", max_length=120)
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    job_title = models.CharField("fonction", max_length=120, blank=True)
    bio = models.TextField("biographie", blank=True)
    photo = models.ImageField(
        "photo",
        upload_to=UnguessableName("authors/%Y"),
        blank=True,
        validators=[validate_upload],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte utilisateur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = AuthorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "auteur"
        verbose_name_plural = "auteurs"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                self.name, Author.objects.exclude(pk=self.pk), fallback="auteur", max_length=140
            )
        # A new portrait is stored re-encoded, as the media library stores its images: a
        # phone's EXIF (where the photo was taken) must not reach the public page.
        if self.photo and not self.photo._committed:
            self.photo.file = reencode(self.photo)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])

    @property
    def social_image(self):
        if not self.photo:
            return None
        return {"url": self.photo.url, "alt": f"Portrait de {self.name}"}


class ThemeQuerySet(models.QuerySet):
    def with_published_articles(self):
        """Themes with at least one article readers may see (the navigation)."""
        articles = Article.objects.published().filter(theme=models.OuterRef("pk"))
        return self.filter(models.Exists(articles))


class Theme(models.Model):
    name = models.CharField("nom", max_length=80, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    description = models.TextField("description", blank=True)
    position = models.PositiveSmallIntegerField(
        "ordre d’affichage", default=0, help_text="Les plus petits nombres en premier."
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ThemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "thématique"
        verbose_name_plural = "thématiques"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                self.name, Theme.objects.exclude(pk=self.pk), fallback="thematique", max_length=100
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:theme", args=[self.slug])


class Tag(TagBase):
    """A django-taggit tag whose slug transliterates accents like the rest of the site."""

    created_at = models.DateTimeField("créé le", auto_now_add=True, null=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "mot-clé"
        verbose_name_plural = "mots-clés"

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])

    def slugify(self, tag, i=None):
        slug = slugify_fr(tag, max_length=90) or "mot-cle"
        return f"{slug}-{i}" if i is not None else slug


class TaggedArticle(TaggedItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "mot-clé d’article"
        verbose_name_plural = "mots-clés d’article"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="one_tagging_per_tag_per_article"
            ),
        ]

    def __str__(self):
        return f"{self.tag} ({self.content_object})"


class ArticleVersion(models.Model):
    """The base of an article's historical records: a version also keeps its related rows."""

    # {"bylines": [author ids in order], "tags": [names], "elections": [ids], "races": [ids]},
    # as they were when the version was saved; null on versions recorded before this field.
    relations = models.JSONField(
        "signatures, mots-clés et élections", null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.relations is None and self.history_type != "-":
            self.relations = article_relations(self.id)
        super().save(*args, **kwargs)

    def relation_changes(self, previous):
        """Rows for the history's list of changes: bylines, tags and elections, by name."""
        if self.relations is None or previous.relations is None:
            return []
        rows = []
        for key, label, names in RELATIONS:
            old, new = previous.relations.get(key, []), self.relations.get(key, [])
            if old != new:
                named = names([*old, *new])
                rows.append(
                    {
                        "label": label,
                        "old": ", ".join(named.get(item, "?") for item in old) or "—",
                        "new": ", ".join(named.get(item, "?") for item in new) or "—",
                    }
                )
        return rows


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what readers may see: published, its time has come, not in the trash."""
        status = self.model.Status.PUBLISHED
        return self.filter(status=status, published_at__lte=timezone.now(), deleted_at=None)

    def in_trash(self):
        return self.exclude(deleted_at=None)

    def not_in_trash(self):
        return self.filter(deleted_at=None)

    def scheduled(self):
        """Published, but not before a time still to come; a trashed one never will be."""
        status = self.model.Status.PUBLISHED
        return self.filter(status=status, published_at__gt=timezone.now(), deleted_at=None)

    def editable_by(self, user):
        """The articles `user` works on in the admin: all for an editor, else their own.

        A journalist's own are those they created or sign. Whether they may still change
        one (not once it is published) is the admin's has_change_permission.
        """
        if user.has_perm("articles.publish_article"):
            return self
        own = self.filter(Q(created_by=user) | Q(authors__user=user)).values("pk")
        return self.filter(pk__in=own)

    def about(self, subject):
        """Articles linked to an election (itself or one of its races), or to a race."""
        # Subqueries on the link tables rather than joins: no duplicates, no DISTINCT.
        by_race = self.model.races.through.objects
        if isinstance(subject, Election):
            by_election = self.model.elections.through.objects.filter(election=subject)
            return self.filter(
                Q(pk__in=by_election.values("article_id"))
                | Q(pk__in=by_race.filter(race__election=subject).values("article_id"))
            )
        return self.filter(pk__in=by_race.filter(race=subject).values("article_id"))

    def trash_expired(self):
        """Trashed longer than TRASH_LIFETIME ago: `purge_trash` deletes them for good."""
        return self.filter(deleted_at__lt=timezone.now() - TRASH_LIFETIME)

    def for_listing(self):
        return self.for_cards().prefetch_related(self.bylines())

    def for_cards(self):
        """What a teaser shows without its bylines: theme and picture, in the same query."""
        return self.select_related("theme", "lead_image")

    def for_detail(self):
        return self.select_related("theme", "lead_image").prefetch_related(
            self.bylines(), "tags", "corrections", self.results()
        )

    def delete(self):
        # A bulk delete (the admin's action) skips Article.delete(): remove the rows here too.
        article_ids = list(self.values_list("pk", flat=True))
        deleted = super().delete()
        search.remove_from_index(article_ids, using=self.db)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True  # as on QuerySet: no Article.objects.delete()

    @staticmethod
    def results():
        """The linked races, for the result box: one query (their figures come from the cache)."""
        return models.Prefetch("races", queryset=Race.objects.for_display())

    @staticmethod
    def bylines():
        """Bylines in their order, each with its author: one query for a whole page."""
        return models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        REVIEW = "review", "En relecture"
        PUBLISHED = "published", "Publié"
        UNPUBLISHED = "unpublished", "Dépublié"

    # What a journalist may set; publishing belongs to editors (the publish_article permission).
    WRITER_STATUSES = [Status.DRAFT, Status.REVIEW]

    headline = models.CharField("titre", max_length=200)
    seo_title = models.CharField(
        "titre pour les moteurs de recherche",
        max_length=200,
        blank=True,
        help_text="Le titre de l’onglet et des résultats de recherche. Vide : le titre.",
    )
    social_title = models.CharField(
        "titre pour les réseaux sociaux",
        max_length=200,
        blank=True,
        help_text="Le titre des partages (Facebook, X, LinkedIn…). Vide : le titre.",
    )
    slug = models.SlugField(
        "slug",
        max_length=200,
        unique=True,
        blank=True,
        help_text="La fin de l’adresse de l’article. Vide : tiré du titre.",
    )
    standfirst = models.TextField(
        "chapô", blank=True, help_text="Un paragraphe qui résume l’article, sans mise en forme."
    )
    body = models.TextField(
        "texte",
        help_text=(
            "Paragraphes, intertitres, gras, italique, liens, citations, listes et images. Pour un "
            "appel à l’action (« >> Retrouvez… »), placez-vous dans le paragraphe et choisissez "
            "« Appel à l’action » dans le menu « Style ». Une image vient de la médiathèque "
            "(« Insérer une image de la médiathèque ») avec son texte alternatif, sa légende et "
            "son crédit ; toute autre image est retirée à l’enregistrement. Le texte collé "
            "depuis Word ou Google Docs perd sa mise en forme parasite."
        ),
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name="thématique",
        on_delete=models.PROTECT,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author, verbose_name="auteurs", through="Byline", related_name="articles"
    )
    tags = TaggableManager(
        "mots-clés",
        through=TaggedArticle,
        blank=True,
        help_text="Séparés par des virgules.",
    )
    lead_image = models.ForeignKey(
        "images.Image",
        verbose_name="image principale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=(
            "Une image de la médiathèque (tapez pour chercher), ou « + » pour en envoyer une : "
            "son texte alternatif, sa légende et son crédit la suivent partout."
        ),
    )
    status = models.CharField("statut", max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publié le",
        null=True,
        blank=True,
        help_text="Première publication. Une date future programme l’article.",
    )
    revised_at = models.DateTimeField(
        "mis à jour le",
        null=True,
        blank=True,
        help_text="Dernière mise à jour éditoriale, affichée si elle suit la publication.",
    )
    elections = models.ManyToManyField(
        "elections.Election",
        verbose_name="élections liées",
        blank=True,
        related_name="articles",
    )
    races = models.ManyToManyField(
        "elections.Race",
        verbose_name="circonscriptions liées",
        blank=True,
        related_name="articles",
        help_text="Les résultats de ces circonscriptions accompagnent l’article.",
    )
    is_lead = models.BooleanField(
        "à la une", default=False, help_text="Mis en avant en tête de la page d’accueil."
    )
    reading_time = models.PositiveSmallIntegerField(
        "temps de lecture (min)", default=1, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # In the trash since then (null: not in the trash); purged after TRASH_LIFETIME.
    deleted_at = models.DateTimeField(
        "mis à la corbeille le", null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mis à la corbeille par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Counts saves, so a form based on an older version is refused (no silent overwrite).
    version = models.PositiveIntegerField("version", default=0, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["reading_time"], bases=[ArticleVersion])

    class Meta:
        # Drafts have no date; put them last on SQLite and PostgreSQL alike.
        ordering = [F("published_at").desc(nulls_last=True), "-created_at"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        permissions = [
            ("publish_article", "Peut publier, programmer et dépublier des articles"),
            ("empty_trash", "Peut supprimer définitivement les articles de la corbeille"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_live_idx"),
            models.Index(
                fields=["theme", "status", "-published_at"], name="article_theme_live_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review"]) | Q(published_at__isnull=False),
                name="published_article_has_date",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize_html(embed_library_images(sanitize_html(self.body)))
        self.reading_time = reading_time(self.body)
        if not self.slug:
            self.slug = unique_slug(self.headline, Article.objects.exclude(pk=self.pk))
        self.version += 1
        super().save(*args, **kwargs)
        # Its row in the search index is this row's own derived data, like reading_time. It is
        # written once the transaction commits, so that the bylines and tags saved after the
        # article (admin inline, load_demo) are in.
        transaction.on_commit(partial(search.update_index, self), using=self._state.db)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def delete(self, *args, **kwargs):
        article_id, using = self.pk, self._state.db
        deleted = super().delete(*args, **kwargs)
        search.remove_from_index([article_id], using=using)
        return deleted

    def clean(self):
        errors = {}
        if self.status not in self.WRITER_STATUSES and not self.published_at:
            self.published_at = timezone.now()
        if self.revised_at and self.published_at and self.revised_at < self.published_at:
            errors["revised_at"] = "La mise à jour ne peut pas précéder la publication."
        if errors:
            raise ValidationError(errors)

    @property
    def title_tag(self):
        return self.seo_title or self.headline

    @property
    def share_title(self):
        return self.social_title or self.headline

    def record_relations(self):
        """Write the bylines, tags and elections as they are now into the latest version.

        The admin saves them after the article, so after its version was recorded.
        """
        latest = self.history.order_by("-history_date", "-history_id").first()
        if latest is not None:
            latest.relations = article_relations(self.pk)
            latest.save(update_fields=["relations"])

    record_relations.alters_data = True

    def restore_relations(self, relations):
        """Bylines, tags and elections as a version recorded them (None: not recorded)."""
        if relations is None:
            return
        authors = Author.objects.filter(pk__in=relations["bylines"]).values_list("pk", flat=True)
        authors = [pk for pk in relations["bylines"] if pk in set(authors)]
        if authors:  # an article is always signed: a version without bylines keeps today's
            self.bylines.all().delete()
            Byline.objects.bulk_create(
                Byline(article=self, author_id=author_id, position=position)
                for position, author_id in enumerate(authors)
            )
        self.tags.set(relations["tags"])
        self.elections.set(Election.objects.filter(pk__in=relations["elections"]))
        self.races.set(Race.objects.filter(pk__in=relations["races"]))

    restore_relations.alters_data = True

    def move_to_trash(self, user=None):
        """Out of every page, list and feed, restorable for TRASH_LIFETIME; saved like an edit."""
        self.deleted_at, self.deleted_by = timezone.now(), user
        self.save()

    move_to_trash.alters_data = True

    def restore_from_trash(self):
        self.deleted_at, self.deleted_by = None, None
        self.save()

    restore_from_trash.alters_data = True

    @property
    def is_in_trash(self):
        return self.deleted_at is not None

    @property
    def purged_at(self):
        """When `purge_trash` deletes this trashed article for good."""
        return self.deleted_at + TRASH_LIFETIME if self.deleted_at else None

    @property
    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and self.deleted_at is None
        )

    @property
    def is_revised(self):
        """An editorial update is shown only when it came after publication."""
        return bool(self.revised_at and self.published_at and self.revised_at > self.published_at)

    @property
    def excerpt(self):
        return self.standfirst or plain_text(self.body)[:300]

    @property
    def social_image(self):
        return self.lead_image.social_image if self.lead_image else None


# An editor's form is "open" while its page says so, every PRESENCE_INTERVAL at most.
PRESENCE_INTERVAL = timedelta(seconds=30)
PRESENCE_TIMEOUT = timedelta(seconds=90)


class EditingSession(models.Model):
    """Someone has an article's change form open, since `started_at`; their page keeps it up."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField("depuis")
    seen_at = models.DateTimeField("vu le")

    class Meta:
        verbose_name = "article ouvert"
        verbose_name_plural = "articles ouverts"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="one_editing_session_per_user_per_article"
            ),
        ]

    def __str__(self):
        return f"{self.user} modifie « {self.article} »"

    @classmethod
    def keep(cls, article, user):
        """Record that `user` has the form open now; a lapsed session starts again."""
        now = timezone.now()
        session, created = cls.objects.get_or_create(
            article=article, user=user, defaults={"started_at": now, "seen_at": now}
        )
        if not created:
            if session.seen_at < now - PRESENCE_TIMEOUT:
                session.started_at = now
            session.seen_at = now
            session.save(update_fields=["started_at", "seen_at"])
        return session

    @classmethod
    def others(cls, article, user):
        """The sessions of other people on this article that are still alive."""
        alive = timezone.now() - PRESENCE_TIMEOUT
        sessions = cls.objects.filter(article=article, seen_at__gte=alive).exclude(user=user)
        return sessions.select_related("user").order_by("started_at")


class Draft(models.Model):
    """What an editor typed in an article's form and has not saved, kept by its autosave.

    One per editor and article, and one per editor for a new article. `data` holds the
    form's fields as the browser posts them: {name: [values]}.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField("champs du formulaire")
    saved_at = models.DateTimeField("enregistré le")

    class Meta:
        verbose_name = "brouillon automatique"
        verbose_name_plural = "brouillons automatiques"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="one_draft_per_user_per_article",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="one_new_article_draft"
            ),
        ]

    def __str__(self):
        return f"Brouillon de {self.user} ({self.article or 'nouvel article'})"

    @property
    def headline(self):
        return (self.data.get("headline") or [""])[0]


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, verbose_name="auteur", on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "signature"
        verbose_name_plural = "signatures"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="one_byline_per_author_per_article"
            ),
        ]

    def __str__(self):
        return f"{self.author} ({self.article})"


class Correction(models.Model):
    """A dated note on a published article: what was wrong, or what needed saying better."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Précision"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField("type", max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        "texte", help_text="Ce qui a été corrigé ou précisé, en une phrase ou deux."
    )
    published_at = models.DateTimeField("date", default=timezone.now)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = "correction"
        verbose_name_plural = "corrections et précisions"

    def __str__(self):
        return f"{self.get_kind_display()} du {timezone.localtime(self.published_at):%d/%m/%Y}"


class ArticleSlug(models.Model):
    """An address a published article had: it redirects (301) to the article's current one."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField("remplacée le", auto_now_add=True)

    class Meta:
        verbose_name = "ancienne adresse"
        verbose_name_plural = "anciennes adresses"

    def __str__(self):
        return self.slug


class PreviewLink(models.Model):
    """A secret, expiring, revocable link that shows an unpublished article to someone."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    expires_at = models.DateTimeField("expire le")
    is_revoked = models.BooleanField("révoqué", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lien d’aperçu"
        verbose_name_plural = "liens d’aperçu"

    def __str__(self):
        return f"Aperçu de « {self.article} »"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)  # 256 random bits: unguessable
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:preview-link", args=[self.token])

    @property
    def is_valid(self):
        return not self.is_revoked and self.expires_at > timezone.now()


def article_relations(article_id):
    """What a version records of an article's related rows (see ArticleVersion.relations)."""
    bylines = Byline.objects.filter(article_id=article_id).order_by("position", "pk")
    tags = Tag.objects.filter(tagged_articles__content_object_id=article_id)
    through = Article.elections.through.objects.filter(article_id=article_id)
    races = Article.races.through.objects.filter(article_id=article_id)
    return {
        "bylines": list(bylines.values_list("author_id", flat=True)),
        "tags": sorted(tags.values_list("name", flat=True)),
        "elections": sorted(through.values_list("election_id", flat=True)),
        "races": sorted(races.values_list("race_id", flat=True)),
    }


def names_of(model, field="pk"):
    def names(keys):
        return {
            getattr(row, field): str(row) for row in model.objects.filter(**{f"{field}__in": keys})
        }

    return names


# What ArticleVersion.relations holds: key, label, and how to name its items.
RELATIONS = [
    ("bylines", "signatures", names_of(Author)),
    ("tags", "mots-clés", lambda keys: {key: key for key in keys}),
    ("elections", "élections liées", names_of(Election)),
    ("races", "circonscriptions liées", names_of(Race)),
]


def reading_time(html):
    """Minutes to read an HTML body at a French reading speed, never less than one."""
    words = re.findall(r"\w+", plain_text(html))
    return max(1, math.ceil(len(words) / WORDS_PER_MINUTE))
