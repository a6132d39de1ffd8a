"""Official results into the database: what elections/ministry.py reads, matched and written.

`import_results(election=…, sources=…)` reads every file first (`ministry.read`), checks what
was read against the stored races, and refuses the whole batch, naming each problem with its
file and line or element, before it writes anything. Then a `Batch` loads the rows already
there for the races concerned, in a few queries whatever their size, matches each race,
round, list, candidate, tally and seat award of the files with them (and remembers what it
matched, or created), and writes the difference in bulk in one transaction. Importing the
same files again changes nothing; an import that changes figures records a Revision per race
and file.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from elections import ministry
from elections.ministry import FeedCandidate, Problem, Source, fold
from elections.models import (
    Candidate,
    CandidateList,
    Election,
    Nuance,
    Race,
    Revision,
    Round,
    SeatAward,
    Tally,
)
from elections.results import compare_with_rules


class ImportRefused(Exception):
    """The batch was refused; nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class Summary:
    files: int = 0
    races: set = field(default_factory=set)
    changes: dict = field(default_factory=dict)  # race -> [[what, before, after], …]
    by_source: dict = field(default_factory=dict)  # (race, file name) -> the same
    warnings: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.changes)

    def lines(self):
        yield f"{self.files} fichier(s) lu(s), {len(self.races)} circonscription(s) concernée(s)."
        if not self.changes:
            yield "Aucun changement : ces résultats étaient déjà à jour."
        for race, changes in self.changes.items():
            yield f"{race.constituency.name} : {len(changes)} changement(s)"
            for what, before, after in changes:
                yield f"  - {what} : {display(before)} → {display(after)}"
        for warning in self.warnings:
            yield f"Avertissement : {warning}"

    def record(self, race, source_name, changes):
        self.races.add(race)
        if changes:
            self.changes.setdefault(race, []).extend(changes)
            self.by_source.setdefault((race, source_name), []).extend(changes)


def display(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S")
    return str(value)


def sources_from_paths(paths):
    """Files named on the command line; a folder stands for its XML and CSV files."""
    sources = []
    for path in map(Path, paths):
        files = (
            sorted(
                p for p in path.iterdir() if p.suffix.lower() in (".xml", ".csv", ".html", ".htm")
            )
            if path.is_dir()
            else [path]
        )
        for file in files:
            sources.append(Source(name=file.name, data=file.read_bytes()))
    return sources


def find_races(election):
    """Races by the codes files use: the INSEE code, or the Ministry's own (ZZ)."""
    races = {}
    for race in election.races.for_display():
        constituency = race.constituency
        for code in (
            constituency.code,
            constituency.ministry_code,
            constituency.legacy_ministry_code,
        ):
            if code:
                races.setdefault(code, race)
    return races


# Checks of what was read against the stored election and races


def check_readings(election, readings, races):
    """Problems that need the stored election and races; the files' own are already found."""
    problems = []
    for reading in readings:
        if reading.year and reading.year != str(election.year):
            problems.append(
                Problem(
                    reading.source,
                    "Scrutin/Annee",
                    f"fichier de {reading.year}, l’élection est de {election.year}.",
                )
            )
        if reading.kind and election.get_kind_display().lower() != reading.kind.lower():
            problems.append(
                Problem(
                    reading.source,
                    "Scrutin/Type",
                    f"fichier « {reading.kind} », l’élection est « {election}».",
                )
            )
        for item in [*reading.races, *reading.index, *reading.candidates]:
            if item.code not in races:
                problems.append(
                    Problem(
                        item.source,
                        item.where,
                        f"circonscription « {item.code} » inconnue pour {election}.",
                    )
                )
        for feed in reading.races:
            if feed.code in races:
                problems.extend(check_race(feed, races[feed.code]))
    return problems


def check_race(feed, race):
    """What a round file must agree on with its race: its seats and its voting system."""
    problems = []

    def problem(where, message):
        problems.append(Problem(feed.source, where, message))

    if feed.seats and feed.seats != race.seats:
        problem(f"{feed.where} > NbSap", f"{feed.seats} sièges, {race.seats} attendus.")
    for round_ in feed.rounds:
        if race.is_proportional:
            if round_.number == 2:
                problem(round_.where, "pas de second tour à la proportionnelle.")
            if round_.candidates:
                problem(
                    round_.where, "candidats isolés dans une circonscription à la proportionnelle."
                )
        elif round_.lists:
            problem(round_.where, "des listes dans une circonscription au scrutin majoritaire.")
    return problems


def check_round2(feeds, races, batch):
    """A second round for a race whose seats were all filled in the first.

    The first round is the file's own when it carries one (a round-2 file carries both),
    else the seats already stored.
    """
    problems = []
    for feed in feeds:
        race = races.get(feed.code)
        numbers = {round_.number for round_ in feed.rounds}
        if race is None or race.is_proportional or 2 not in numbers:
            continue
        if 1 in numbers:
            filled = len(feed.elected_in(1))
        else:
            filled = sum(1 for a in batch.awards_of(race) if a.round_number == 1)
        if filled >= race.seats:
            problems.append(
                Problem(
                    feed.source,
                    f"{feed.where} > Tour 2",
                    f"second tour alors que les {race.seats} siège(s) ont été pourvus au premier.",
                )
            )
    return problems


# Writing


class Batch:
    """The rows of the races concerned, loaded once, and what the import adds or changes.

    Matching reads these maps, never the database; new rows join them as they are made, so a
    candidate the CSV adds is the one the feed finds. `write()` then saves everything in bulk,
    parents before children: a fixed number of queries, whatever the number of candidates.
    """

    def __init__(self, election, races):
        self.election = election
        self.nuances = {nuance.code: nuance for nuance in election.nuances.all()}
        self.lists = {}  # (race pk, number) -> CandidateList
        self.list_candidates = {}  # (race pk, list number, position) -> Candidate
        self.candidates = {}  # (race pk, folded last name, folded first name) -> Candidate
        self.race_candidates = defaultdict(list)  # race pk -> [Candidate]
        self.rounds = {}  # (race pk, number) -> Round
        self.tallies = {}  # (id(round), id(candidate or list)) -> Tally
        self.awards = defaultdict(list)  # race pk -> [SeatAward]
        self.created = defaultdict(list)  # model -> [new rows], in the order made
        self.changed = {}  # id(row) -> (row, {field names})
        self.deleted = []  # seat awards
        self.new = set()  # id() of the rows made here

        # Related rows are set from these maps, the same objects everywhere: comparing a value
        # never reads the database, and a row matched twice is changed once.
        nuances_by_pk = {nuance.pk: nuance for nuance in self.nuances.values()}
        lists_by_pk = {}
        for candidate_list in CandidateList.objects.filter(race__in=races):
            if candidate_list.nuance_id:
                candidate_list.nuance = nuances_by_pk[candidate_list.nuance_id]
            self.lists[candidate_list.race_id, candidate_list.number] = candidate_list
            lists_by_pk[candidate_list.pk] = candidate_list
        candidates_by_pk = {}
        for candidate in Candidate.objects.filter(race__in=races):
            if candidate.candidate_list_id:
                candidate.candidate_list = lists_by_pk[candidate.candidate_list_id]
            if candidate.nuance_id:
                candidate.nuance = nuances_by_pk[candidate.nuance_id]
            self.remember_candidate(candidate)
            candidates_by_pk[candidate.pk] = candidate
        rounds_by_pk = {}
        for round_ in Round.objects.filter(race__in=races):
            self.rounds[round_.race_id, round_.number] = round_
            rounds_by_pk[round_.pk] = round_
        for tally in Tally.objects.filter(round__race__in=races):
            tally.round = rounds_by_pk[tally.round_id]
            if tally.candidate_id:
                tally.candidate = owner = candidates_by_pk[tally.candidate_id]
            else:
                tally.candidate_list = owner = lists_by_pk[tally.candidate_list_id]
            self.tallies[id(tally.round), id(owner)] = tally
        for award in SeatAward.objects.filter(race__in=races):
            award.candidate = candidates_by_pk[award.candidate_id]
            self.awards[award.race_id].append(award)

    def remember_candidate(self, candidate):
        self.race_candidates[candidate.race_id].append(candidate)
        if candidate.candidate_list is not None:
            key = (candidate.race_id, candidate.candidate_list.number, candidate.list_position)
            self.list_candidates[key] = candidate
        else:
            key = (candidate.race_id, fold(candidate.last_name), fold(candidate.first_name))
            self.candidates.setdefault(key, candidate)

    def awards_of(self, race):
        return self.awards[race.pk]

    def rounds_of(self, race):
        """The race's rounds, each with its tallies."""
        rounds = sorted(
            (round_ for (race_pk, _), round_ in self.rounds.items() if race_pk == race.pk),
            key=lambda round_: round_.number,
        )
        by_round = defaultdict(list)
        for tally in self.tallies.values():
            by_round[id(tally.round)].append(tally)
        return [(round_, by_round[id(round_)]) for round_ in rounds]

    def create(self, row):
        self.created[type(row)].append(row)
        self.new.add(id(row))
        return row

    def change(self, row, name):
        if id(row) not in self.new:
            self.changed.setdefault(id(row), (row, set()))[1].add(name)

    def delete(self, award):
        self.awards[award.race_id].remove(award)
        if id(award) in self.new:
            self.created[SeatAward].remove(award)
        else:
            self.deleted.append(award)

    def nuance(self, code, label):
        if not code:
            return None
        nuance = self.nuances.get(code)
        if nuance is None:
            nuance = self.create(Nuance(election=self.election, code=code, label=label or code))
            self.nuances[code] = nuance
        return nuance

    def write(self):
        """Save what changed: deletions, then new rows parents first, then updates."""
        if self.deleted:
            SeatAward.objects.filter(pk__in=[award.pk for award in self.deleted]).delete()
        for model in (Nuance, CandidateList, Candidate, Round, Tally, SeatAward):
            if self.created[model]:
                # bulk_create() sets each row's pk, so the children made after see it.
                model.objects.bulk_create(self.created[model])
        by_model = defaultdict(lambda: ([], set()))
        for row, names in self.changed.values():
            rows, fields = by_model[type(row)]
            rows.append(row)
            fields.update(names)
        now = timezone.now()
        for model, (rows, fields) in by_model.items():
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                # bulk_update() skips auto_now: a changed row says when, as save() would.
                for row in rows:
                    row.updated_at = now
                fields.add("updated_at")
            model.objects.bulk_update(rows, sorted(fields))


class Writer:
    """Puts one file's figures for one race into the batch, noting each change to stored ones."""

    def __init__(self, batch, race, source_name):
        self.batch, self.race, self.source_name = batch, race, source_name
        self.changes = []

    def note(self, what, before, after):
        if before != after:
            self.changes.append([what, before, after])

    def update(self, row, what, **values):
        for name, value in values.items():
            before = getattr(row, name)
            if before != value:
                model_field = row._meta.get_field(name)
                if id(row) not in self.batch.new:
                    shown = (before, value)
                    if model_field.choices:  # the labels editors read, not the stored values
                        labels = dict(model_field.flatchoices)
                        shown = (labels.get(before, before), labels.get(value, value))
                    self.note(f"{what}, {model_field.verbose_name}", *shown)
                setattr(row, name, value)
                self.batch.change(row, name)

    def candidate(self, feed_candidate, *, candidate_list=None):
        batch, race = self.batch, self.race
        if candidate_list is not None:
            match = batch.list_candidates.get(
                (race.pk, candidate_list.number, feed_candidate.position)
            )
        else:
            match = batch.candidates.get(
                (race.pk, fold(feed_candidate.last_name), fold(feed_candidate.first_name))
            )
        name = f"{feed_candidate.first_name} {feed_candidate.last_name}"
        if match is None:
            match = batch.create(
                Candidate(
                    race=race,
                    candidate_list=candidate_list,
                    list_position=feed_candidate.position if candidate_list else None,
                    first_name=feed_candidate.first_name,
                    last_name=feed_candidate.last_name,
                    sex=feed_candidate.sex,
                    nuance=batch.nuance(feed_candidate.nuance_code, feed_candidate.nuance_label),
                    label=feed_candidate.nuance_label,
                )
            )
            batch.remember_candidate(match)
            self.note(f"Candidat {name}", None, "ajouté")
            return match
        values = {"first_name": feed_candidate.first_name, "last_name": feed_candidate.last_name}
        if feed_candidate.sex:
            values["sex"] = feed_candidate.sex
        if feed_candidate.nuance_code:
            values["nuance"] = batch.nuance(feed_candidate.nuance_code, feed_candidate.nuance_label)
            values["label"] = feed_candidate.nuance_label
        self.update(match, f"Candidat {name}", **values)
        return match

    def candidate_list(self, number, what, **values):
        batch, race = self.batch, self.race
        candidate_list = batch.lists.get((race.pk, number))
        if candidate_list is None:
            candidate_list = batch.create(CandidateList(race=race, number=number, **values))
            batch.lists[race.pk, number] = candidate_list
            self.note(f"{what} {values['name']}", None, "ajoutée")
        else:
            self.update(candidate_list, what, **values)
        return candidate_list

    def round(self, feed_round):
        batch, race = self.batch, self.race
        round_ = batch.rounds.get((race.pk, feed_round.number))
        what = f"Tour {feed_round.number}"
        if round_ is None:
            round_ = batch.create(
                Round(
                    race=race,
                    number=feed_round.number,
                    source_name=self.source_name,
                    **feed_round.figures,
                )
            )
            batch.rounds[race.pk, feed_round.number] = round_
            self.note(what, None, "ajouté")
        else:
            changes = len(self.changes)
            self.update(round_, what, **feed_round.figures)
            if len(self.changes) > changes and round_.source_name != self.source_name:
                round_.source_name = self.source_name
                batch.change(round_, "source_name")
        return round_

    def tally(self, round_, owner, *, votes, outcome="", seats=None):
        batch = self.batch
        tally = batch.tallies.get((id(round_), id(owner)))
        what = f"Tour {round_.number}, {owner}"
        if tally is None:
            is_list = isinstance(owner, CandidateList)
            tally = batch.create(
                Tally(
                    round=round_,
                    candidate=None if is_list else owner,
                    candidate_list=owner if is_list else None,
                    votes=votes,
                    official_outcome=outcome,
                    official_seats=seats,
                )
            )
            batch.tallies[id(round_), id(owner)] = tally
            self.note(f"{what}, voix", None, votes)
        else:
            self.update(tally, what, votes=votes, official_outcome=outcome, official_seats=seats)

    def write(self, feed):
        for feed_round in sorted(feed.rounds, key=lambda r: r.number):
            round_ = self.round(feed_round)
            for feed_candidate in feed_round.candidates:
                candidate = self.candidate(feed_candidate)
                self.tally(
                    round_, candidate, votes=feed_candidate.votes, outcome=feed_candidate.outcome
                )
            for feed_list in feed_round.lists:
                candidate_list = self.candidate_list(
                    feed_list.number,
                    f"Liste {feed_list.number}",
                    name=feed_list.short_name or feed_list.name,
                    head_first_name=feed_list.head_first_name,
                    head_last_name=feed_list.head_last_name,
                    nuance=self.batch.nuance(feed_list.nuance_code, feed_list.nuance_label),
                )
                for feed_candidate in feed_list.candidates:
                    self.candidate(feed_candidate, candidate_list=candidate_list)
                self.tally(round_, candidate_list, votes=feed_list.votes, seats=feed_list.seats)
        self.official_awards(feed)
        self.update(
            self.race, "Circonscription", seats_filled=min(feed.seats_filled, self.race.seats)
        )

    def official_awards(self, feed):
        """The Ministry's elected (Elu = OUI), each with the round that elected them."""
        batch = self.batch
        elected = {}  # id(candidate) -> (candidate, round number)
        for number in sorted({round_.number for round_ in feed.rounds}):
            for feed_candidate in feed.elected_in(number):
                candidate_list = None
                if feed_candidate.list_number is not None:
                    candidate_list = batch.lists[self.race.pk, feed_candidate.list_number]
                candidate = self.candidate(feed_candidate, candidate_list=candidate_list)
                elected[id(candidate)] = (candidate, number)
        existing = {id(award.candidate): award for award in batch.awards_of(self.race)}
        for key, award in existing.items():
            if key not in elected:
                self.note(f"Élu {award.candidate}", "élu", "non élu")
                batch.delete(award)
        for key, (candidate, round_number) in elected.items():
            award = existing.get(key)
            if award is None:
                award = batch.create(
                    SeatAward(race=self.race, candidate=candidate, round_number=round_number)
                )
                batch.awards[self.race.pk].append(award)
                self.note(f"Élu {candidate}", None, f"élu au tour {round_number}")
            elif award.round_number != round_number:
                self.update(award, f"Élu {award.candidate}", round_number=round_number)


def apply_csv(batch, races, rows, summary):
    """Birth dates, substitutes, outgoing flags and list order from the candidates CSV."""
    for row in rows:
        race = races[row.code]
        writer = Writer(batch, race, row.source)
        candidate_list = None
        if row.list_number is not None:
            candidate_list = batch.lists.get((race.pk, row.list_number))
            if candidate_list is None:
                candidate_list = writer.candidate_list(
                    row.list_number,
                    f"Liste {row.list_number}",
                    name=row.list_name,
                    short_name=row.list_short_name,
                    nuance=batch.nuance(row.nuance_code, row.nuance_label),
                )
            else:
                writer.update(
                    candidate_list, f"Liste {row.list_number}", short_name=row.list_short_name
                )
        feed_candidate = FeedCandidate(
            where=row.where,
            last_name=row.last_name,
            first_name=row.first_name,
            sex=row.sex,
            nuance_code=row.nuance_code if candidate_list is None else "",
            nuance_label=row.nuance_label if candidate_list is None else "",
            position=row.position,
        )
        candidate = writer.candidate(feed_candidate, candidate_list=candidate_list)
        writer.update(
            candidate,
            f"Candidat {candidate}",
            birth_date=row.birth_date,
            is_outgoing=row.is_outgoing,
            substitute_name=row.substitute_name,
            substitute_sex=row.substitute_sex,
            substitute_birth_date=row.substitute_birth_date,
        )
        summary.record(race, row.source, writer.changes)


def apply_index(batch, races, entries, summary):
    for entry in entries:
        race = races[entry.code]
        if entry.received is False:
            status = Race.ReportedStatus.AWAITING
        elif entry.filled == "T1":
            status = Race.ReportedStatus.FILLED_ROUND1
        elif entry.filled == "T2":
            status = Race.ReportedStatus.FILLED_ROUND2
        elif entry.round_number == 1:
            status = Race.ReportedStatus.ROUND2_TO_COME
        else:
            status = Race.ReportedStatus.AWAITING
        writer = Writer(batch, race, entry.source)
        values = {}
        # An older index (round 1 after round 2, an earlier extract) never rolls a race back.
        is_older = (race.reported_round or 0) > entry.round_number or bool(
            entry.updated_at
            and race.source_updated_at
            and entry.updated_at < race.source_updated_at
        )
        if not is_older:
            values["reported_status"] = status
            values["reported_round"] = entry.round_number
            if entry.updated_at:
                values["source_updated_at"] = entry.updated_at
        writer.update(race, "Circonscription", **values)
        round_ = batch.rounds.get((race.pk, entry.round_number))
        if round_ and entry.updated_at:
            writer.update(round_, f"Tour {entry.round_number}", source_updated_at=entry.updated_at)
        summary.record(race, entry.source, writer.changes)


def jsonable(changes):
    return [[what, display(before), display(after)] for what, before, after in changes]


def import_results(
    *,
    election: Election,
    sources: list[Source],
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Summary:
    """Read every source, refuse the batch on any problem, else write it all in one transaction."""
    readings = []
    for number, source in enumerate(sources, start=1):
        if progress:
            progress(number, len(sources), source.name)
        readings.append(ministry.read(source))
    problems = [problem for reading in readings for problem in reading.problems]
    warnings = [str(warning) for reading in readings for warning in reading.warnings]
    if not sources:
        problems.append(Problem("—", "", "aucun fichier à importer."))
    races = find_races(election)
    problems.extend(check_readings(election, readings, races))
    feeds = [feed for reading in readings for feed in reading.races]
    concerned = {
        races[item.code]
        for reading in readings
        for item in [*reading.races, *reading.index, *reading.candidates]
        if item.code in races
    }
    with transaction.atomic():
        batch = Batch(election, concerned)
        problems.extend(check_round2(feeds, races, batch))
        if problems:
            raise ImportRefused(problems)
        summary = Summary(files=len(sources), warnings=warnings)
        apply_csv(batch, races, [row for r in readings for row in r.candidates], summary)
        for feed in feeds:
            writer = Writer(batch, races[feed.code], feed.source)
            writer.write(feed)
            summary.record(races[feed.code], feed.source, writer.changes)
        apply_index(batch, races, [entry for r in readings for entry in r.index], summary)
        for race in sorted(summary.races, key=lambda race: race.constituency.code):
            comparison = compare_with_rules(
                race,
                rounds=batch.rounds_of(race),
                candidates=batch.race_candidates[race.pk],
                awards=batch.awards_of(race),
            )
            for award, rule in comparison.rules:
                if award.rule != rule:
                    award.rule = rule
                    batch.change(award, "rule")
            summary.warnings.extend(f"{race.constituency.name} : {w}" for w in comparison.warnings)
            if race.warnings != comparison.warnings:
                race.warnings = comparison.warnings
                batch.change(race, "warnings")
            if race.has_discrepancy != comparison.has_discrepancy:
                race.has_discrepancy = comparison.has_discrepancy
                batch.change(race, "has_discrepancy")
        batch.write()
        Revision.objects.bulk_create(
            Revision(race=race, source_name=source_name, changes=jsonable(changes))
            for (race, source_name), changes in summary.by_source.items()
        )
        if summary.changed:
            election.touch_results()
        if dry_run:
            transaction.set_rollback(True)
    return summary
