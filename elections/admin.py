import shutil
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from elections.importers import ImportRefused, import_results
from elections.ministry import Source
from elections.models import (
    Candidate,
    CandidateList,
    Constituency,
    Election,
    Nuance,
    ParliamentaryGroup,
    Race,
    Revision,
    Round,
    SeatAward,
    Senator,
    Tally,
)
from elections.results import compare_with_rules

UPLOAD_SUFFIXES = (".xml", ".csv")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xml,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


class ResultsUploadForm(forms.Form):
    files = MultipleFileField(
        label="Fichiers",
        help_text=(
            "Fichiers du ministère : résultats R1xx.xml / R2xx.xml, index INDEX1FE.xml / "
            "INDEX2FE.xml, fichier CSV des candidats. Plusieurs fichiers à la fois."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Choisissez au moins un fichier.")
        for file in files:
            if not file.name.lower().endswith(UPLOAD_SUFFIXES):
                raise forms.ValidationError(
                    f"« {file.name} » : seuls les fichiers .xml et .csv sont acceptés."
                )
        return files


def upload_folder(token):
    return Path(settings.RESULTS_UPLOAD_ROOT) / token


class RenewsResults:
    """An edit made in the admin renews the cached results pages, as an import does."""

    def elections_of(self, obj):
        if isinstance(obj, Election):
            return [obj]
        election_id = getattr(obj, "election_id", None) or obj.race.election_id
        return Election.objects.filter(pk=election_id)

    def renew(self, obj):
        for election in self.elections_of(obj):
            election.touch_results()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.renew(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.renew(form.instance)

    def delete_model(self, request, obj):
        elections = list(self.elections_of(obj))
        super().delete_model(request, obj)
        for election in elections:
            election.touch_results()

    def delete_queryset(self, request, queryset):
        elections = {election for obj in queryset for election in self.elections_of(obj)}
        super().delete_queryset(request, queryset)
        for election in elections:
            election.touch_results()


class RenewsAllResults(RenewsResults):
    """Senators and groups appear on every election's hemicycle."""

    def elections_of(self, obj):
        return Election.objects.all()


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = [
        "number",
        "registered",
        "abstentions",
        "voters",
        "blank",
        "null",
        "cast",
        "is_final",
        "source_updated_at",
        "tallies_link",
    ]
    readonly_fields = ["tallies_link"]
    show_change_link = True

    @admin.display(description="résultats")
    def tallies_link(self, round_):
        if not round_.pk:
            return "—"
        url = reverse("admin:elections_round_change", args=[round_.pk])
        return format_html('<a href="{}">Voix par candidat ou liste</a>', url)


class SeatAwardInline(admin.TabularInline):
    model = SeatAward
    extra = 0
    fields = ["candidate", "round_number", "rule"]
    autocomplete_fields = ["candidate"]


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = ["created_at", "source_name", "change_list"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="changements")
    def change_list(self, revision):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} : {} → {}</li>",
                ((what, before, after) for what, before, after in revision.changes),
            ),
        )


@admin.register(Election)
class ElectionAdmin(RenewsResults, admin.ModelAdmin):
    list_display = ["name", "kind", "year", "series", "status", "round1_on", "race_count"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["import_link", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "year", "series", "status"]}),
        ("Dates", {"fields": ["round1_on", "round2_on"]}),
        ("Résultats", {"fields": ["import_link"]}),
        ("Informations", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(race_count=Count("races"))

    @admin.display(description="circonscriptions", ordering="race_count")
    def race_count(self, election):
        return election.race_count

    @admin.display(description="importer")
    def import_link(self, election):
        if not election.pk:
            return "Enregistrez l’élection avant d’importer des résultats."
        url = reverse("admin:elections_election_import", args=[election.pk])
        return format_html('<a class="button" href="{}">Importer des résultats officiels</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(self.import_view),
                name="elections_election_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, pk):
        """Upload, preview what will change, then confirm: the same code as the command."""
        election = get_object_or_404(Election, pk=pk)
        if not self.has_change_permission(request, election):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "election": election,
            "title": f"Importer des résultats : {election}",
        }
        pending = request.session.get("results_uploads", {})
        if request.method == "POST" and "confirm" in request.POST:
            token = request.POST.get("token", "")
            if pending.get(token) != election.pk or not upload_folder(token).is_dir():
                messages.error(request, "Cet import a expiré : envoyez les fichiers à nouveau.")
                return redirect("admin:elections_election_import", pk=election.pk)
            folder = upload_folder(token)
            sources = [Source(file.name, file.read_bytes()) for file in sorted(folder.iterdir())]
            try:
                summary = import_results(election=election, sources=sources)
            except ImportRefused as refused:
                context.update(form=ResultsUploadForm(), problems=refused.problems)
                return TemplateResponse(request, "admin/elections/import.html", context)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
                pending.pop(token, None)
                request.session["results_uploads"] = pending
            messages.success(request, next(summary.lines()))
            if not summary.changed:
                messages.info(request, "Aucun changement : ces résultats étaient déjà à jour.")
            return redirect("admin:elections_race_changelist")
        if request.method == "POST":
            form = ResultsUploadForm(request.POST, request.FILES)
        else:
            form = ResultsUploadForm()
        if form.is_bound and form.is_valid():
            sources = [Source(file.name, file.read()) for file in form.cleaned_data["files"]]
            try:
                summary = import_results(election=election, sources=sources, dry_run=True)
            except ImportRefused as refused:
                context.update(form=form, problems=refused.problems)
                return TemplateResponse(request, "admin/elections/import.html", context)
            if not summary.changed:
                # Nothing to confirm: these results are already in.
                context.update(summary=summary, summary_lines=list(summary.lines()))
                return TemplateResponse(request, "admin/elections/import.html", context)
            token = uuid.uuid4().hex
            folder = upload_folder(token)
            folder.mkdir(parents=True)
            for source in sources:
                (folder / Path(source.name).name).write_bytes(source.data)
            pending[token] = election.pk
            request.session["results_uploads"] = pending
            context.update(summary=summary, token=token, summary_lines=list(summary.lines()))
        else:
            context["form"] = form
        return TemplateResponse(request, "admin/elections/import.html", context)


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "series", "seats", "voting_system", "ministry_code"]
    list_filter = ["kind", "series", "voting_system"]
    search_fields = ["code", "name", "ministry_code"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Nuance)
class NuanceAdmin(RenewsResults, admin.ModelAdmin):
    list_display = ["code", "label", "bloc", "election"]
    list_filter = ["election", "bloc"]
    list_editable = ["bloc"]
    search_fields = ["code", "label"]


@admin.register(ParliamentaryGroup)
class ParliamentaryGroupAdmin(RenewsAllResults, admin.ModelAdmin):
    list_display = ["short_name", "name", "chamber", "bloc", "position", "senator_count"]
    list_filter = ["chamber", "bloc"]
    list_editable = ["position"]
    search_fields = ["short_name", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(senator_count=Count("senators"))

    @admin.display(description="sénateurs", ordering="senator_count")
    def senator_count(self, group):
        return group.senator_count


@admin.register(Senator)
class SenatorAdmin(RenewsAllResults, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "group", "constituency", "is_active"]
    list_filter = ["group", "is_active", "constituency__series"]
    list_select_related = ["group", "constituency"]
    search_fields = ["last_name", "first_name", "slug"]
    autocomplete_fields = ["group", "constituency"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Race)
class RaceAdmin(RenewsResults, admin.ModelAdmin):
    list_display = [
        "constituency",
        "election",
        "system",
        "seats",
        "seats_filled",
        "reported_status",
        "has_discrepancy",
        "warning_count",
    ]
    list_filter = ["election", "voting_system", "reported_status", "has_discrepancy"]
    list_select_related = ["constituency", "election"]
    search_fields = ["constituency__name", "constituency__code"]
    autocomplete_fields = ["constituency"]
    inlines = [RoundInline, SeatAwardInline, RevisionInline]
    readonly_fields = ["outcomes", "warning_list", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["election", "constituency", "voting_system", "seats"]}),
        (
            "Résultat",
            {
                "fields": [
                    "seats_filled",
                    "reported_status",
                    "source_updated_at",
                    "outcomes",
                    "has_discrepancy",
                    "warning_list",
                ]
            },
        ),
        ("Informations", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="scrutin", ordering="voting_system")
    def system(self, race):
        return "proportionnel" if race.is_proportional else "majoritaire"

    @admin.display(description="avertissements")
    def warning_count(self, race):
        return len(race.warnings) or ""

    @admin.display(description="avertissements")
    def warning_list(self, race):
        if not race.warnings:
            return "Aucun"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((w,) for w in race.warnings))
        )

    @admin.display(description="élus : fichier, sièges attribués et règles")
    def outcomes(self, race):
        """The Ministry's record, the awards readers see and the rules' winners, side by side."""
        if not race.pk:
            return "—"
        rounds = [
            (round_, list(round_.tallies.all()))
            for round_ in race.rounds.prefetch_related(
                Prefetch("tallies", queryset=Tally.objects.ranked())
            )
        ]
        candidates = list(race.candidates.select_related("candidate_list"))
        awards = {award.candidate_id: award for award in race.awards.all()}
        comparison = compare_with_rules(
            race, rounds=rounds, candidates=candidates, awards=list(awards.values())
        )
        computed = {key[1]: award for key, award in comparison.computed.items()}
        in_file = official_record(rounds, candidates)
        rows = []
        for candidate in sorted(candidates, key=str):
            award, rule = awards.get(candidate.pk), computed.get(candidate.pk)
            if not (award or rule or candidate.pk in in_file):
                continue
            if rule:
                by_rules = f"élu au tour {rule.round} ({SeatAward.Rule(rule.rule.value).label})"
            else:
                by_rules = "non" if comparison.outcome else "pas de chiffres"
            rows.append(
                (
                    candidate,
                    in_file.get(candidate.pk, "non"),
                    f"élu au tour {award.round_number or '?'}" if award else "non",
                    by_rules,
                    "⚠ écart" if comparison.outcome and bool(award) != bool(rule) else "",
                )
            )
        if not rows:
            return "Aucun élu pour l’instant."
        return format_html(
            "<table><thead><tr><th>Candidat</th><th>Fichier du ministère</th>"
            "<th>Siège attribué (ce que voient les lecteurs)</th><th>Selon les règles</th>"
            "<th></th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            ),
        )


def official_record(rounds, candidates):
    """{candidate pk: what the Ministry's file says of their election}, for the elected only.

    A candidate's Elu flag is stored on their tally; a list's seats (NbSieges) on the list's,
    and they go to its candidates in list order.
    """
    record, list_seats = {}, {}
    for round_, tallies in rounds:
        for tally in tallies:
            if tally.candidate_id and tally.official_outcome == Tally.Outcome.ELECTED:
                record[tally.candidate_id] = f"élu au tour {round_.number} (Elu)"
            elif tally.candidate_list_id and tally.official_seats:
                list_seats[tally.candidate_list_id] = tally.official_seats
    for candidate in candidates:
        seats = list_seats.get(candidate.candidate_list_id, 0)
        if candidate.list_position and candidate.list_position <= seats:
            record[candidate.pk] = f"élu : {seats} siège(s) pour sa liste (NbSieges)"
    return record


class TallyInline(admin.TabularInline):
    model = Tally
    extra = 0
    fields = ["candidate", "candidate_list", "votes", "official_outcome", "official_seats"]
    autocomplete_fields = ["candidate", "candidate_list"]


@admin.register(Round)
class RoundAdmin(RenewsResults, admin.ModelAdmin):
    list_display = ["race", "number", "registered", "voters", "cast", "is_final"]
    list_filter = ["race__election", "number", "is_final"]
    list_select_related = ["race__constituency", "race__election"]
    search_fields = ["race__constituency__name", "race__constituency__code"]
    autocomplete_fields = ["race"]
    inlines = [TallyInline]
    readonly_fields = ["created_at", "updated_at"]


class ListCandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["list_position", "first_name", "last_name", "sex", "birth_date", "is_outgoing"]


@admin.register(CandidateList)
class CandidateListAdmin(RenewsResults, admin.ModelAdmin):
    list_display = ["name", "number", "race", "nuance"]
    list_filter = ["race__election"]
    list_select_related = ["race__constituency", "race__election", "nuance"]
    search_fields = ["name", "short_name", "head_last_name"]
    autocomplete_fields = ["race", "nuance"]
    inlines = [ListCandidateInline]


@admin.register(Candidate)
class CandidateAdmin(RenewsResults, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "race", "candidate_list", "nuance", "is_outgoing"]
    list_filter = ["race__election", "is_outgoing", "sex"]
    list_select_related = ["race__constituency", "race__election", "candidate_list", "nuance"]
    search_fields = ["last_name", "first_name", "race__constituency__name"]
    autocomplete_fields = ["race", "candidate_list", "nuance", "group"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["race", "source_name", "created_at", "change_count"]
    list_filter = ["race__election"]
    list_select_related = ["race__constituency", "race__election"]
    search_fields = ["race__constituency__name", "source_name"]
    readonly_fields = ["race", "source_name", "changes", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # history is never rewritten

    @admin.display(description="changements")
    def change_count(self, revision):
        return len(revision.changes)
