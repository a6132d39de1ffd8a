import functools
import json

from django import forms
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog
from django_prose_editor.widgets import AdminProseEditorWidget

from articles import search
from articles.models import Article, Theme
from articles.text import sanitize_html
from newsroom.history import fr_moment, fr_time

# What the body's editor offers, no more than sanitize_html keeps (tests check it).
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Blockquote": True,
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},  # the sanitizer keeps no list type
    "ListItem": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Figure": True,
    "Image": True,
    "Caption": True,
    "NodeClass": {
        "cssClasses": {
            "paragraph": {
                "title": "Paragraphe",
                "cssClasses": [{"className": "cta", "title": "Appel à l’action"}],
            }
        }
    },
}


# Characters shown before search engines and networks cut a title (hints, not limits).
RECOMMENDED_LENGTHS = {"seo_title": 60, "social_title": 70}


class QueryField(forms.CharField):
    """A reader's words, taken calmly: control characters dropped, cut to a sane length."""

    def to_python(self, value):
        # Before validation, so a NUL pasted in is dropped rather than refused.
        return search.clean_query(super().to_python(value))


class SearchForm(forms.Form):
    # The URL's parameters are French, as readers see them: /recherche/?q=…&thematique=…
    q = QueryField(label="Rechercher", required=False)
    thematique = forms.ModelChoiceField(
        Theme.objects.all(),
        label="Thématique",
        to_field_name="slug",
        required=False,
        empty_label="Toutes",
    )
    du = forms.DateField(
        label="Publié du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label="au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("du"), cleaned_data.get("au")
        if start and end and start > end:
            self.add_error("au", "Cette date précède celle du début.")
        return cleaned_data

    def filter(self, articles):
        """`articles` narrowed to what is valid among the theme and the dates asked for."""
        data = self.cleaned_data
        if data.get("thematique"):
            articles = articles.filter(theme=data["thematique"])
        # __date compares in Paris time, as readers see dates, and any year is safe.
        if data.get("du"):
            articles = articles.filter(published_at__date__gte=data["du"])
        if data.get("au"):
            articles = articles.filter(published_at__date__lte=data["au"])
        return articles


class BodyEditor(AdminProseEditorWidget):
    """django-prose-editor, started by articles/body_editor.js rather than the package's script.

    The package's own start needs an inline import map and has TipTap inject a <style>: the
    admin's Content-Security-Policy refuses both. Ours imports the editor module by its URL
    and leaves the styles to files.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs, config={"extensions": BODY_EXTENSIONS}, preset="newsroom")

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "articles/body_editor.css",
                ]
            },
            js=[forms.Script("articles/body_editor.js", type="module")],
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"] |= {
            "data-editor-module": static("django_prose_editor/editor.js"),
            "data-editor-catalog": json.dumps(editor_catalog(get_language()), ensure_ascii=False),
        }
        return context


@functools.cache
def editor_catalog(language):
    """The editor's words in `language`: the admin's JavaScript catalog holds the admin's only."""
    view = JavaScriptCatalog(packages=["django_prose_editor"])
    view.translation = DjangoTranslation(
        language, domain=view.domain, localedirs=view.get_paths(view.packages)
    )
    return view.get_catalog()


class ArticleAdminForm(forms.ModelForm):
    """The editors' article form: no silent overwrite, and "Mis à jour le" only on purpose."""

    # The version the editor started from; a save based on an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    is_editorial_update = forms.BooleanField(
        label="Mise à jour éditoriale",
        required=False,
        help_text=(
            "Cochez pour un vrai changement du fond : la page affichera « Mis à jour le » "
            "avec l’heure de l’enregistrement. Laissez vide pour une coquille."
        ),
    )

    # Set by the admin for the request (ArticleAdmin.get_form): the merge with the saves
    # made since the editor's version, and the conflicts posted without a choice.
    merge = None
    unresolved = ()
    restored_draft = None  # the autosaved draft bound to the form, shown and not saved

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields shown
        widgets = {"body": BodyEditor}
        # Plain text here: the model's help text holds HTML that the admin would render.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, length in RECOMMENDED_LENGTHS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-recommended-length"] = length
        if not self.is_bound:
            self.initial["loaded_version"] = self.instance.version

    def clean_body(self):
        # Article.save() sanitizes too; here an empty editor is caught as a missing body.
        body = sanitize_html(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body

    def clean(self):
        cleaned_data = super().clean()
        if self.restored_draft is not None:
            raise forms.ValidationError(
                f"Votre brouillon du {fr_moment(self.restored_draft.saved_at)} est repris "
                "ci-dessous. Rien n’est encore enregistré : relisez, puis enregistrez.",
                code="draft",
            )
        if not self.instance.pk:
            return cleaned_data
        if cleaned_data.get("loaded_version") is None:
            # A crafted or truncated POST: never take it as based on the current version.
            raise forms.ValidationError(
                "Ce formulaire ne dit pas de quelle version de l’article il part, et rien n’a "
                "été enregistré : rouvrez l’article, puis refaites vos changements.",
                code="no_version",
            )
        if self.merge and self.merge.conflicts:
            raise forms.ValidationError(self.conflict_message(), code="conflict")
        if self.unresolved:
            raise forms.ValidationError(
                "Choisissez quelle version garder pour : " + ", ".join(self.unresolved) + ".",
                code="unresolved",
            )
        self.refuse_stale_version(cleaned_data["loaded_version"])
        return cleaned_data

    def conflict_message(self):
        merge = self.merge
        who = merge.by.get_full_name() or merge.by.get_username() if merge.by else "Quelqu’un"
        when = f" à {fr_time(merge.at)}" if merge.at else ""
        taken = f" Ses changements ({', '.join(merge.taken)}) sont repris." if merge.taken else ""
        both = ", ".join(conflict.label for conflict in merge.conflicts)
        return (
            f"{who} a enregistré cet article{when} pendant que vous le modifiiez.{taken} "
            f"Vous avez tous deux modifié : {both}. Rien n’a été enregistré : choisissez "
            "ci-dessous quelle version garder pour chacun, puis enregistrez."
        )

    def refuse_stale_version(self, loaded):
        # The merge ran against the version current when the request came in; a save
        # made in between is caught here.
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        current = current.first()
        if current is None or loaded == current:
            return
        raise forms.ValidationError(
            "Cet article vient d’être modifié par quelqu’un d’autre, et rien n’a été "
            "enregistré : enregistrez à nouveau pour reprendre ses changements avec les vôtres.",
            code="stale",
        )
