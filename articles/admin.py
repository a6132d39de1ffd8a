from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Count, When
from django.http import HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag as TaggitTag

from articles import merge, search
from articles.forms import ArticleAdminForm
from articles.models import (
    TRASH_LIFETIME,
    WORDS_PER_MINUTE,
    Article,
    ArticleSlug,
    Author,
    Byline,
    Correction,
    Draft,
    EditingSession,
    PreviewLink,
    Tag,
    Theme,
)
from articles.views import render_preview
from images.uploads import UploadedImageField
from newsroom.history import HistoryAdmin, fr_moment, fr_time

PREVIEW_LINK_LIFETIME = timedelta(days=7)


class LabelledFormSet(forms.BaseInlineFormSet):
    """A tabular inline's fields, named for assistive technologies: the labels are column heads."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            label = "Retirer" if name == "DELETE" else field.label
            if label:
                field.widget.attrs.setdefault("aria-label", str(label))


class BylineFormSet(LabelledFormSet):
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


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "published_at", "text"]


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    formset = LabelledFormSet
    extra = 0
    can_delete = False
    fields = ["address", "created_by", "expires_at", "is_revoked"]
    readonly_fields = ["address", "created_by", "expires_at"]
    verbose_name_plural = "liens d’aperçu (pour une personne sans compte)"

    def has_add_permission(self, request, obj=None):
        return False  # made by the "Créer un lien d’aperçu" button, which sets the token

    @admin.display(description="adresse")
    def address(self, link):
        url = self.request_url(link)
        state = "valide" if link.is_valid else "expiré ou révoqué"
        return format_html('<a href="{}">{}</a> ({})', url, url, state)

    def get_formset(self, request, obj=None, **kwargs):
        self.request_url = lambda link: request.build_absolute_uri(link.get_absolute_url())
        return super().get_formset(request, obj, **kwargs)


class StateFilter(admin.SimpleListFilter):
    """Status as editors think of it: a published article whose time has not come is scheduled."""

    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Brouillon"),
            ("review", "En relecture"),
            ("scheduled", "Programmé"),
            ("live", "Publié (en ligne)"),
            ("unpublished", "Dépublié"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published()
            case "draft" | "review" | "unpublished" as status:
                return queryset.filter(status=status)
        return queryset


def state_of(article):
    """« Programmé pour le 3 décembre à 8 h 00 », « Publié », « Brouillon »…"""
    if article.status == Article.Status.PUBLISHED and not article.is_live:
        return f"Programmé pour le {fr_moment(article.published_at)}"
    return article.get_status_display()


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "theme", "byline_names", "state", "published_at", "is_lead"]
    list_filter = [StateFilter, "theme", "is_lead", "authors"]
    list_select_related = ["theme"]
    # The box searches the full-text index (get_search_results); these fields say what is in it.
    search_fields = ["headline", "seo_title", "standfirst", "body"]
    search_help_text = (
        "Titre, chapô, texte, auteurs et mots-clés ; accents et pluriels facultatifs."
    )
    autocomplete_fields = ["theme", "lead_image", "elections", "races"]
    inlines = [BylineInline, CorrectionInline, PreviewLinkInline]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "published_at"
    actions = ["publish_now", "unpublish", "submit_for_review", "trash_selected"]
    # Deleting moves to the trash; this page says so (and lists nothing to be deleted).
    delete_confirmation_template = "admin/articles/article/trash_confirmation.html"
    save_on_top = True
    # A restore brings back the text, bylines and tags; publishing stays an editor's explicit
    # act, and the address stays put (links to it keep working).
    restore_excluded_fields = [
        "slug", "status", "published_at", "revised_at", "is_lead", "deleted_at", "deleted_by",
        "created_by", "version", "created_at", "updated_at",
    ]  # fmt: skip
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "seo_title",
                    "social_title",
                    "slug",
                    "standfirst",
                    "body",
                    "loaded_version",
                ]
            },
        ),
        ("Classement", {"fields": ["theme", "tags", "is_lead"]}),
        ("Élections", {"fields": ["elections", "races"], "classes": ["collapse"]}),
        ("Image principale", {"fields": ["lead_image", "lead_image_preview"]}),
        (
            "Publication",
            {
                "fields": [
                    "state",
                    "status",
                    "published_at",
                    "is_editorial_update",
                    "revised_at",
                    "preview",
                ]
            },
        ),
        (
            "Informations",
            {
                "fields": ["reading_time", "created_by", "version", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        # Autosave, presence, the warning on leaving, word count and length hints.
        js = [forms.Script("articles/editing.js", type="module")]

    # Roles: who may do what is decided here, on the server, for every view and action.

    def can_publish(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_publish_permission(self, request):
        return self.can_publish(request)

    def has_submit_permission(self, request):
        # Editors publish; sending for review is the journalists' step.
        return self.has_change_permission(request) and not self.can_publish(request)

    def owns(self, request, article):
        user = request.user
        return article.created_by_id == user.pk or any(
            byline.author.user_id == user.pk for byline in article.bylines.all()
        )

    def get_queryset(self, request):
        articles = super().get_queryset(request).not_in_trash()
        articles = articles.prefetch_related(Article.objects.bylines())
        return articles.editable_by(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.can_publish(request):
            return True
        # A journalist edits their own articles until they are published.
        return self.owns(request, obj) and obj.status in Article.WRITER_STATUSES

    def has_delete_permission(self, request, obj=None):
        # "Delete" moves to the trash, and editors restore from it.
        return super().has_delete_permission(request, obj) and self.can_publish(request)

    def has_empty_trash_permission(self, request):
        return request.user.has_perm("articles.empty_trash")

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # replaced by trash_selected
        return actions

    def get_deleted_objects(self, objs, request):
        return [], {}, set(), []  # nothing is deleted: the article goes whole to the trash

    def log_deletions(self, request, queryset):
        # Nothing is deleted: the admin's log says it went to the trash.
        return LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=queryset,
            action_flag=CHANGE,
            change_message="Mis à la corbeille.",
        )

    def delete_model(self, request, article):
        article._history_user = request.user
        article.move_to_trash(request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            format_html(
                '« {} » est dans la <a href="{}">corbeille</a> : il a quitté le site et '
                "peut être restauré pendant {} jours.",
                obj_display,
                reverse("admin:articles_article_trash"),
                TRASH_LIFETIME.days,
            ),
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_changelist")

    @admin.action(
        description="Mettre à la corbeille les articles sélectionnés", permissions=["delete"]
    )
    def trash_selected(self, request, queryset):
        count = 0
        for article in queryset:
            self.delete_model(request, article)
            count += 1
        self.message_user(
            request,
            format_html(
                '{} article(s) mis à la <a href="{}">corbeille</a>, restaurables pendant {} jours.',
                count,
                reverse("admin:articles_article_trash"),
                TRASH_LIFETIME.days,
            ),
            messages.SUCCESS,
        )

    def trash_view(self, request):
        """The trashed articles: editors restore them, administrators delete them for good."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        trashed = Article.objects.in_trash().select_related("theme", "deleted_by")
        if request.method == "POST":
            return self.trash_post(request, trashed)
        context = {
            **self.admin_site.each_context(request),
            "title": "Corbeille",
            "opts": self.opts,
            "articles": trashed.order_by("-deleted_at"),
            "lifetime_days": TRASH_LIFETIME.days,
            "may_empty": self.has_empty_trash_permission(request),
        }
        return TemplateResponse(request, "admin/articles/article/trash.html", context)

    def trash_post(self, request, trashed):
        action, pk = request.POST.get("action"), request.POST.get("article")
        if action == "restore":
            article = get_object_or_404(trashed, pk=pk if str(pk).isdigit() else None)
            article._history_user = request.user
            article.restore_from_trash()
            self.message_user(
                request,
                format_html(
                    "« {} » est restauré, tel qu’il était.{}",
                    article,
                    " Il est de nouveau en ligne." if article.is_live else "",
                ),
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", article.pk)
        if action not in ("delete", "empty") or not self.has_empty_trash_permission(request):
            raise PermissionDenied
        if action == "delete":
            doomed = trashed.filter(pk=pk if str(pk).isdigit() else None)
        else:
            doomed = trashed
        count = doomed.count()
        doomed.delete()
        self.message_user(request, f"{count} article(s) supprimé(s) définitivement.")
        return redirect("admin:articles_article_trash")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "trash_count": Article.objects.in_trash().count()
            if self.has_delete_permission(request)
            else None,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = ["state", "lead_image_preview", "reading_time", "created_by", "version"]
        fields += ["revised_at", "preview", "created_at", "updated_at"]
        if not self.can_publish(request):
            fields += ["published_at", "is_lead"]
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.can_publish(request):
            # Journalists choose between draft and review; the form refuses anything else.
            kwargs["choices"] = [
                (value, label)
                for value, label in Article.Status.choices
                if value in Article.WRITER_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # What this request's form needs to know of the merge (ArticleAdminForm.clean).
        state = {
            "merge": getattr(request, "article_merge", None),
            "unresolved": getattr(request, "merge_unresolved", ()),
            "restored_draft": getattr(request, "restored_draft", None),
        }
        return type(form.__name__, (form,), state)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and (
            "_restore_draft" in request.POST or "_discard_draft" in request.POST
        ):
            article = self.get_object(request, unquote(object_id)) if object_id else None
            draft = self.draft_of(request, article)
            if "_discard_draft" in request.POST or draft is None:
                if draft is not None:
                    draft.delete()
                return redirect(request.get_full_path())
            # The draft's fields, bound to the form as if posted: shown, not saved (the form
            # says so), and merged below if the article moved on since it was typed.
            request.POST = QueryDict(mutable=True)
            for name, values in draft.data.items():
                request.POST.setlist(name, values)
            request.restored_draft = draft
        if request.method == "POST" and object_id is not None:
            self.merge_posted(request, unquote(object_id))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def draft_of(self, request, article):
        return Draft.objects.filter(user=request.user, article=article).first()

    def merge_posted(self, request, object_id):
        """Merge a form based on an older version with what was saved since (articles/merge.py)."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_change_permission(request, article):
            return  # Django's view refuses it
        form_class = self.get_form(request, article, change=True)
        outcome = merge.merge(article, request.POST, form_class)
        if outcome is not None:
            request.article_merge, request.POST = outcome, outcome.data
        else:
            request.POST, request.merge_unresolved = merge.resolve(
                article, request.POST, form_class
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["article_merge"] = getattr(request, "article_merge", None)
        if obj is not None and obj.pk:
            EditingSession.keep(obj, request.user)
            context["editors_present"] = presence_lines(EditingSession.others(obj, request.user))
            context["presence_url"] = reverse("admin:articles_article_presence", args=[obj.pk])
            context["autosave_url"] = reverse("admin:articles_article_autosave", args=[obj.pk])
        else:
            context["autosave_url"] = reverse("admin:articles_article_autosave_new")
        if not getattr(request, "restored_draft", None):
            context["offered_draft"] = self.draft_of(request, obj if obj and obj.pk else None)
        context["words_per_minute"] = WORDS_PER_MINUTE
        context["picker_url"] = reverse("admin:images_image_picker")
        context["show_submit_for_review"] = self.has_submit_permission(request) and (
            obj is None or obj.pk is None or obj.status == Article.Status.DRAFT
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def autosave_view(self, request, pk=None):
        """Keep what the editor has typed so far, without saving the article (no version)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if pk is not None:
            article = get_object_or_404(self.get_queryset(request), pk=pk)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        data = {
            name: request.POST.getlist(name)
            for name in request.POST
            if name != "csrfmiddlewaretoken" and not name.startswith("_")
        }
        now = timezone.now()
        Draft.objects.update_or_create(
            user=request.user, article=article, defaults={"data": data, "saved_at": now}
        )
        return JsonResponse({"saved_at": fr_time(now)})

    def presence_view(self, request, pk):
        """The change form's page says it is still open (or closed); answers who else is."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.POST.get("action") == "leave":
            EditingSession.objects.filter(article=article, user=request.user).delete()
            return JsonResponse({"others": []})
        EditingSession.keep(article, request.user)
        return JsonResponse(
            {"others": presence_lines(EditingSession.others(article, request.user))}
        )

    def response_change(self, request, article):
        outcome = getattr(request, "article_merge", None)
        if outcome is not None and outcome.taken:
            who = outcome.by.get_full_name() or outcome.by.get_username() if outcome.by else ""
            self.message_user(
                request,
                f"Les changements faits entre-temps par {who or 'un collègue'} "
                f"({', '.join(outcome.taken)}) ont été gardés avec les vôtres.",
                messages.INFO,
            )
        return super().response_change(request, article)

    def save_model(self, request, article, form, change):
        # A real save: the autosaved draft it came from has done its job.
        Draft.objects.filter(user=request.user, article=article if change else None).delete()
        before = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
        if (
            "_submit_for_review" in request.POST
            and self.has_submit_permission(request)
            and article.status == Article.Status.DRAFT
        ):
            article.status = Article.Status.REVIEW
        if not change:
            article.created_by = request.user
        if form.cleaned_data.get("is_editorial_update") and article.published_at:
            article.revised_at = max(timezone.now(), article.published_at)
        if change and "slug" in form.changed_data:
            keep_old_address(article)
        super().save_model(request, article, form, change)
        request.article_outcome = self.outcome(article, before)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.record_relations()

    def restore_related(self, request, article, record):
        article.restore_relations(record.relations)

    def get_search_results(self, request, queryset, search_term):
        """Search as readers do, through the full-text index; drafts included."""
        if not search_term.strip():
            return queryset, False
        return search.matching(queryset, search.query_words(search_term)), False

    @admin.display(description="état", ordering="status")
    def state(self, article):
        return state_of(article)

    def view_on_site(self, article):
        """« Voir sur le site »: the page once live, the preview until then."""
        # As stored: a refused form's instance holds the unsaved values (an empty slug).
        stored = Article.objects.filter(pk=article.pk).first()
        if stored is not None and stored.is_live:
            return stored.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[article.pk])

    def get_ordering(self, request):
        if self.can_publish(request):
            return super().get_ordering(request)
        # A journalist's own drafts come first: the work in hand.
        is_draft = Case(When(status=Article.Status.DRAFT, then=0), default=1)
        return [is_draft.asc(), "-updated_at"]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        author = getattr(request.user, "author", None)
        # A new article is signed by its writer. Only on the blank form: posted with it, an
        # initial value would make the unchanged row count as empty.
        is_blank = request.method == "GET" and obj.pk is None
        if isinstance(inline, BylineInline) and is_blank and author is not None:
            kwargs["initial"] = [{"author": author.pk, "position": 0}]
        return kwargs

    def outcome(self, article, before):
        """What a save did, as the message after it says it."""
        name = f"« {article} »"
        status = article.status
        if status == Article.Status.PUBLISHED:
            if not article.is_live:
                return f"{name} est programmé pour le {fr_moment(article.published_at)}."
            if before != status:
                return f"{name} est publié : il est en ligne."
            return f"{name} est enregistré ; la version en ligne est à jour."
        if status == Article.Status.REVIEW and before != status:
            return f"{name} est envoyé en relecture."
        if status == Article.Status.UNPUBLISHED and before == Article.Status.PUBLISHED:
            return f"{name} est dépublié : il n’est plus en ligne."
        done = "créé" if before is None else "enregistré"
        return f"{name} est {done} ({article.get_status_display().lower()})."

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Django's "L’objet article … a été modifié avec succès" becomes what was done.
        outcome = getattr(request, "article_outcome", None)
        if outcome and level == messages.SUCCESS:
            message, request.article_outcome = outcome, None
        super().message_user(request, message, level, *args, **kwargs)

    @admin.display(description="auteurs")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="aperçu de l’image")
    def lead_image_preview(self, article):
        image = article.lead_image
        if not image:
            return "Aucune image"
        return format_html(
            '{}<br><a href="{}">Texte alternatif, légende, crédit, cadrage : modifier</a>',
            image_preview(image.file, image.alt_text),
            reverse("admin:images_image_change", args=[image.pk]),
        )

    @admin.display(description="aperçu")
    def preview(self, article):
        if not article.pk:
            return "Enregistrez l’article pour le prévisualiser."
        return format_html(
            '<a class="button" href="{}">Prévisualiser</a> '
            '<a class="button" href="{}">Créer un lien d’aperçu (7 jours)</a>',
            reverse("admin:articles_article_preview", args=[article.pk]),
            reverse("admin:articles_article_preview_link", args=[article.pk]),
        )

    @admin.action(
        description="Publier maintenant les articles sélectionnés", permissions=["publish"]
    )
    def publish_now(self, request, queryset):
        # Object by object, so save() keeps each row's derived fields and history right.
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

    @admin.action(description="Dépublier les articles sélectionnés", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.UNPUBLISHED
            article.save()
            count += 1
        self.message_user(request, f"{count} article(s) dépublié(s).")

    @admin.action(description="Envoyer en relecture", permissions=["submit"])
    def submit_for_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            if self.has_change_permission(request, article):
                article.status = Article.Status.REVIEW
                article.save()
                count += 1
        self.message_user(request, f"{count} article(s) envoyé(s) en relecture.")

    def get_urls(self):
        return [
            path(
                "<int:pk>/apercu/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "brouillon/",
                self.admin_site.admin_view(self.autosave_view),
                name="articles_article_autosave_new",
            ),
            path(
                "<int:pk>/brouillon/",
                self.admin_site.admin_view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<int:pk>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="articles_article_presence",
            ),
            path(
                "corbeille/",
                self.admin_site.admin_view(self.trash_view),
                name="articles_article_trash",
            ),
            path(
                "<int:pk>/lien-apercu/",
                self.admin_site.admin_view(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """The article exactly as readers will see it, marked as a preview."""
        allowed = self.get_queryset(request).values("pk")
        article = get_object_or_404(Article.objects.for_detail().filter(pk__in=allowed), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return render_preview(request, article)

    def preview_link_view(self, request, pk):
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        link = PreviewLink.objects.create(
            article=article,
            created_by=request.user,
            expires_at=timezone.now() + PREVIEW_LINK_LIFETIME,
        )
        url = request.build_absolute_uri(link.get_absolute_url())
        self.message_user(
            request,
            format_html(
                'Lien d’aperçu créé, valable 7 jours : <a href="{}">{}</a>. Envoyez-le à '
                "qui doit relire ; vous pouvez le révoquer en bas de cette page.",
                url,
                url,
            ),
        )
        return redirect("admin:articles_article_change", article.pk)


def presence_lines(sessions):
    """« Claire Vasseur modifie cet article depuis 19 h 32 », one per session."""
    return [
        f"{session.user.get_full_name() or session.user.get_username()} modifie cet article "
        f"depuis {fr_time(session.started_at)}"
        for session in sessions
    ]


def keep_old_address(article):
    """A published article's old slug keeps answering, with a 301 to the new one."""
    old = Article.objects.filter(pk=article.pk).values_list("slug", "published_at").first()
    if old and old[1] and old[0] != article.slug:
        ArticleSlug.objects.update_or_create(slug=old[0], defaults={"article": article})
    ArticleSlug.objects.filter(slug=article.slug).delete()  # the new slug is its own again


@admin.register(Author)
class AuthorAdmin(HistoryAdmin):
    list_display = ["name", "job_title", "user", "article_count"]
    search_fields = ["name", "job_title"]
    # The count annotation drops Meta.ordering (GROUP BY): restate it.
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    readonly_fields = ["photo_preview", "created_at", "updated_at"]
    fields = ["name", "slug", "job_title", "bio", "photo", "photo_preview", "user"]
    # The library's upload field, so a bad portrait gets the same precise French messages.
    formfield_overrides = {models.ImageField: {"form_class": UploadedImageField}}

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


class PositionInput(forms.NumberInput):
    """The position, and beside it the one shown when the list was loaded."""

    def render(self, name, value, attrs=None, renderer=None):
        seen = self.attrs.get("data-seen", "")
        hidden = format_html('<input type="hidden" name="{}_seen" value="{}">', name, seen)
        return super().render(name, value, attrs, renderer) + hidden


class ThemePositionForm(forms.ModelForm):
    """A row of the themes' list: a position someone else changed since is not overwritten."""

    class Meta:
        model = Theme
        fields = ["position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin builds the field itself (formfield_callback): the widget is set here.
        # Its "seen" value is the stored one: what the list shows, or (after a refusal)
        # what it now is.
        widget = self.fields["position"].widget
        self.fields["position"].widget = PositionInput(
            attrs={**widget.attrs, "data-seen": self.instance.position}
        )

    def clean_position(self):
        position = self.cleaned_data["position"]
        seen = self.data.get(self.add_prefix("position") + "_seen", "")
        stored = self.instance.position
        if seen.isdigit() and int(seen) != stored and position != stored:
            raise forms.ValidationError(
                f"Quelqu’un l’a mise en position {stored} pendant que vous modifiiez la liste : "
                "rien n’a été enregistré. Vérifiez l’ordre, puis enregistrez à nouveau."
            )
        return position


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    ordering = ["position", "name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist_form(self, request, **kwargs):
        return ThemePositionForm

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

    # The search index holds tag names: a renamed tag's articles are reindexed.
    def save_model(self, request, tag, form, change):
        super().save_model(request, tag, form, change)
        if change and "name" in form.changed_data:
            search.index(Article.objects.filter(tags=tag))

    def get_deleted_objects(self, objs, request):
        """A tag still on articles is not deleted (it would vanish from them): say which."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        using = Article.objects.filter(tags__in=objs).distinct().order_by("headline")
        protected = [
            *protected,
            *(
                format_html(
                    'Article : <a href="{}">{}</a>',
                    reverse("admin:articles_article_change", args=[article.pk]),
                    article.headline,
                )
                for article in using
            ),
        ]
        return deleted, counts, perms_needed, protected


# Our Tag replaces django-taggit's own, which would otherwise show as an empty list.
admin.site.unregister(TaggitTag)
