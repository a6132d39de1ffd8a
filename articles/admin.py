from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag as TaggitTag

from articles import search
from articles.models import Article, Author, Byline, Tag, Theme


class BylineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Our checks come first: Django's own unique check would word it less clearly.
        authors = [
            form.cleaned_data["author"]
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if not authors:
            raise forms.ValidationError("Un article doit être signé : ajoutez au moins un auteur.")
        if len(set(authors)) != len(authors):
            raise forms.ValidationError("Chaque auteur ne peut signer l’article qu’une fois.")
        super().clean()


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    autocomplete_fields = ["author"]
    extra = 1
    fields = ["author", "position"]


def image_preview(field, alt=""):
    if not field:
        return "Aucune image"
    return format_html('<img src="{}" alt="{}" class="admin-preview">', field.url, alt)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "theme", "byline_names", "status", "published_at", "is_lead"]
    list_filter = ["status", "theme", "is_lead", "authors"]
    list_select_related = ["theme"]
    # The box searches the full-text index (get_search_results); these fields say what is in it.
    search_fields = ["headline", "seo_title", "standfirst", "body"]
    search_help_text = (
        "Titre, chapô, texte, auteurs et mots-clés ; accents et pluriels facultatifs."
    )
    autocomplete_fields = ["theme", "elections", "races"]
    inlines = [BylineInline]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["lead_image_preview", "reading_time", "created_at", "updated_at"]
    date_hierarchy = "published_at"
    actions = ["publish_now", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "seo_title", "slug", "standfirst", "body"]}),
        ("Classement", {"fields": ["theme", "tags", "is_lead"]}),
        ("Élections", {"fields": ["elections", "races"], "classes": ["collapse"]}),
        (
            "Image principale",
            {
                "fields": [
                    "lead_image",
                    "lead_image_preview",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        ("Publication", {"fields": ["status", "published_at", "revised_at"]}),
        (
            "Informations",
            {"fields": ["reading_time", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Article.objects.bylines())

    def get_search_results(self, request, queryset, search_term):
        """Search as readers do, through the full-text index; drafts included."""
        if not search_term.strip():
            return queryset, False
        return search.matching(queryset, search.query_words(search_term)), False

    @admin.display(description="auteurs")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="aperçu")
    def lead_image_preview(self, article):
        return image_preview(article.lead_image, article.lead_image_alt)

    @admin.action(description="Publier maintenant les articles sélectionnés")
    def publish_now(self, request, queryset):
        # Object by object, so save() keeps each row's derived fields right.
        count = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            # "Now" overrides a future date; a past one (a republication) is kept.
            now = timezone.now()
            if article.published_at is None or article.published_at > now:
                article.published_at = now
            article.save()
            count += 1
        self.message_user(request, f"{count} article(s) publié(s).")

    @admin.action(description="Dépublier les articles sélectionnés")
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.UNPUBLISHED
            article.save()
            count += 1
        self.message_user(request, f"{count} article(s) dépublié(s).")


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user", "article_count"]
    search_fields = ["name", "job_title"]
    # The count annotation drops Meta.ordering (GROUP BY): restate it.
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    readonly_fields = ["photo_preview", "created_at", "updated_at"]
    fields = ["name", "slug", "job_title", "bio", "photo", "photo_preview", "user"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("bylines"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, author):
        return author.article_count

    @admin.display(description="aperçu")
    def photo_preview(self, author):
        return image_preview(author.photo, author.name)

    # The search index holds author names: a renamed author's articles are reindexed.
    def save_model(self, request, author, form, change):
        super().save_model(request, author, form, change)
        if change and "name" in form.changed_data:
            search.index(Article.objects.filter(authors=author))


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, theme):
        return theme.article_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    # The search index holds tag names: the articles of a renamed or deleted tag are reindexed.
    def save_model(self, request, tag, form, change):
        super().save_model(request, tag, form, change)
        if change and "name" in form.changed_data:
            search.index(Article.objects.filter(tags=tag))

    def delete_model(self, request, tag):
        self.delete_queryset(request, Tag.objects.filter(pk=tag.pk))

    def delete_queryset(self, request, queryset):
        article_ids = list(Article.objects.filter(tags__in=queryset).values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        search.index(Article.objects.filter(pk__in=article_ids))


# Our Tag replaces django-taggit's own, which would otherwise show as an empty list.
admin.site.unregister(TaggitTag)
