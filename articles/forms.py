from django import forms

from articles import search
from articles.models import Theme


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
