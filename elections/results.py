"""What the results pages, the article's result box and the API show, in a fixed number of queries.

Two readings, both cached under the election's results version (every import and every admin
edit of results renews it, `Election.touch_results()`):

- `election_results(election)`: the whole election, who was elected in each constituency, the
  chamber after it and the turnout, in six queries whatever its size;
- `race_results(races)`: the rounds, tallies and lists of some of its constituencies, in four
  queries whatever their number (none at all while the cache holds them).

Who was elected is read in one place, `elected_by_race()`, from the seat awards: the race page,
the election page, the map, the table, the result box and the JSON all show that reading. The
Ministry's own flags (`Tally.official_outcome`) are the feed's record, which the admin shows
beside the awards; no reader's page decides anything from them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Prefetch, Sum

from elections import rules
from elections.charts import hemicycle_seats
from elections.models import (
    Bloc,
    Candidate,
    CandidateList,
    Constituency,
    Election,
    ParliamentaryGroup,
    Race,
    Round,
    SeatAward,
    Senator,
    Tally,
    VotingSystem,
)

CACHE_SECONDS = 60 * 60
UNKNOWN_BLOC = "unknown"
BLOC_LABELS = {**dict(Bloc.choices), UNKNOWN_BLOC: "Non renseigné"}


class State:
    FILLED = "filled"
    ROUND2 = "round2"
    AWAITING = "awaiting"
    NOT_RENEWED = "not_renewed"

    LABELS = {
        FILLED: "Élus connus",
        ROUND2: "Second tour à venir",
        AWAITING: "Résultats attendus",
        NOT_RENEWED: "Non renouvelé",
    }


@dataclass(frozen=True)
class GroupInfo:
    key: str
    short_name: str
    name: str
    color: str
    bloc: str


UNKNOWN_GROUP = GroupInfo(
    "", "?", "Groupe non connu (rattachement à venir)", "#b9bcc2", UNKNOWN_BLOC
)


@dataclass(frozen=True)
class Elected:
    candidate_id: int
    list_id: int | None
    sex: str
    name: str
    first_name: str
    last_name: str
    code: str
    constituency: str
    url: str
    round_number: int | None
    rule: str
    rule_label: str
    nuance: str
    label: str
    list_name: str
    group: GroupInfo
    bloc: str
    is_outgoing: bool | None

    @property
    def bloc_label(self):
        return BLOC_LABELS[self.bloc]


@dataclass
class RaceState:
    code: str
    name: str
    url: str
    seats: int
    voting_system: str
    state: str
    elected: list[Elected] = field(default_factory=list)

    @property
    def state_label(self):
        return State.LABELS[self.state]

    @property
    def bloc(self):
        """The bloc holding most of the constituency's known seats."""
        counts = Counter(elected.bloc for elected in self.elected)
        return counts.most_common(1)[0][0] if counts else ""

    @property
    def summary(self):
        """One line for the map's tooltip and the screen reader."""
        if not self.elected:
            return f"{self.name} : {self.state_label.lower()}"
        names = ", ".join(f"{e.name} ({e.group.short_name})" for e in self.elected)
        return f"{self.name} : {names}"


@dataclass
class GroupCount:
    group: GroupInfo
    seats: int
    before: int | None

    @property
    def change(self):
        return None if self.before is None else self.seats - self.before


@dataclass
class ElectionResults:
    races: list[RaceState]  # every constituency of the chamber, renewed or not
    groups: list[GroupCount]  # the chamber after the election, left to right
    blocs: list[tuple[str, str, int]]  # key, label, seats
    hemicycle: list[tuple[GroupInfo, list]]  # each group with its seats' positions
    dot_radius: float
    turnout: dict
    seats_total: int
    seats_renewed: int
    seats_known: int
    last_update: datetime | None

    @property
    def elected(self):
        return [elected for race in self.races for elected in race.elected]

    @property
    def hemicycle_height(self):
        return round(200 + 2 * self.dot_radius + 4, 2)

    @property
    def renewed(self):
        return [race for race in self.races if race.state != State.NOT_RENEWED]


def group_info(group):
    if group is None:
        return UNKNOWN_GROUP
    return GroupInfo(group.short_name, group.short_name, group.name, group.color, group.bloc)


def elected_from(award):
    candidate = award.candidate
    nuance = candidate.nuance or (
        candidate.candidate_list.nuance if candidate.candidate_list else None
    )
    group = group_info(candidate.group)
    bloc = group.bloc if candidate.group else (nuance.bloc if nuance else UNKNOWN_BLOC)
    race = award.race
    return Elected(
        candidate_id=candidate.pk,
        list_id=candidate.candidate_list_id,
        sex=candidate.sex,
        name=candidate.full_name,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        code=race.constituency.code,
        constituency=race.constituency.name,
        url=race.get_absolute_url(),
        round_number=award.round_number,
        rule=award.rule,
        rule_label=award.get_rule_display() if award.rule else "",
        nuance=nuance.label if nuance else "",
        label=candidate.label,
        list_name=candidate.candidate_list.name if candidate.candidate_list else "",
        group=group,
        bloc=bloc,
        is_outgoing=candidate.is_outgoing,
    )


def race_state_of(race, elected):
    """The race as the map and the lists show it, with its elected."""
    return RaceState(
        race.constituency.code,
        race.constituency.name,
        race.get_absolute_url(),
        race.seats,
        race.voting_system,
        race_state(race, elected),
        elected,
    )


def race_state(race, elected):
    if len(elected) >= race.seats:
        return State.FILLED
    if race.reported_status == Race.ReportedStatus.ROUND2_TO_COME or (
        elected and race.voting_system == VotingSystem.MAJORITY
    ):
        return State.ROUND2
    return State.AWAITING


def election_results(election: Election) -> ElectionResults:
    """The election's results, from the cache while its results version holds."""
    version = election.results_updated_at.timestamp() if election.results_updated_at else 0
    key = f"election-results:{election.pk}:{version}"
    results = cache.get(key)
    if results is None:
        results = compute_results(election)
        cache.set(key, results, CACHE_SECONDS)
    return results


def elected_by_race(races):
    """{race pk: [Elected]} for these races: the seat awards, the one reading of who was elected."""
    awards = (
        SeatAward.objects.filter(race__in=races)
        .select_related(
            "race__constituency",
            "race__election",
            "candidate__group",
            "candidate__nuance",
            "candidate__candidate_list__nuance",
        )
        .order_by("race__constituency__code", "round_number", "candidate__list_position", "pk")
    )
    elected = {}
    for award in awards:
        elected.setdefault(award.race_id, []).append(elected_from(award))
    return elected


def compute_results(election):
    races = {race.constituency_id: race for race in election.races.for_display()}
    elected_by_race_pk = elected_by_race(election.races.all())
    constituencies = Constituency.objects.filter(kind=election.kind).order_by("code")
    states = []
    for constituency in constituencies:
        race = races.get(constituency.pk)
        if race is None:
            states.append(
                RaceState(
                    constituency.code,
                    constituency.name,
                    "",
                    constituency.seats,
                    constituency.voting_system,
                    State.NOT_RENEWED,
                )
            )
            continue
        states.append(race_state_of(race, elected_by_race_pk.get(race.pk, [])))

    # The chamber after the election: the renewed seats' elected, and the sitting members
    # of the seats not renewed. Before it: every sitting member, when they are the baseline.
    senators = list(Senator.objects.filter(is_active=True).select_related("group", "constituency"))
    groups = list(ParliamentaryGroup.objects.filter(chamber="senat"))
    after = Counter(elected.group.key for state in states for elected in state.elected)
    after.update(
        senator.group.short_name
        for senator in senators
        if senator.constituency.series != election.series
    )
    before = Counter(senator.group.short_name for senator in senators)
    has_baseline = bool(election.baseline_label)
    counts = [
        GroupCount(group_info(group), after[group.short_name], before[group.short_name])
        for group in groups
    ]
    if after[""]:
        counts.append(GroupCount(UNKNOWN_GROUP, after[""], 0))
    if not has_baseline:
        for count in counts:
            count.before = None
    counts = [count for count in counts if count.seats or count.before]
    seats_total = sum(count.seats for count in counts)
    positions, dot = hemicycle_seats(seats_total)
    hemicycle, start = [], 0
    for count in counts:
        hemicycle.append((count.group, positions[start : start + count.seats]))
        start += count.seats
    blocs = Counter()
    for count in counts:
        blocs[count.group.bloc] += count.seats
    bloc_rows = [
        (key, BLOC_LABELS[key], blocs[key]) for key in [*Bloc.values, UNKNOWN_BLOC] if blocs[key]
    ]
    turnout = Round.objects.filter(race__election=election, number=1).aggregate(
        registered=Sum("registered"), voters=Sum("voters"), cast=Sum("cast"), races=Count("pk")
    )
    if turnout["registered"]:
        turnout["rate"] = turnout["voters"] / turnout["registered"]
    updates = [race.source_updated_at for race in races.values() if race.source_updated_at]
    if election.results_updated_at:
        updates.append(election.results_updated_at)
    return ElectionResults(
        races=states,
        groups=counts,
        blocs=bloc_rows,
        hemicycle=hemicycle,
        dot_radius=dot,
        turnout=turnout,
        seats_total=seats_total,
        seats_renewed=sum(race.seats for race in races.values()),
        seats_known=sum(len(state.elected) for state in states),
        last_update=max(updates, default=None),
    )


def race_key(race):
    version = race.election.results_updated_at
    return f"race-results:{race.pk}:{version.timestamp() if version else 0}"


@dataclass(frozen=True)
class TallyRow:
    """One candidate or list in one round, as every page and the JSON show it."""

    name: str  # the candidate's name, or the list's whole name
    short_name: str  # the list's short name where space is tight; else the name
    detail: str  # the nuance, or the list's head
    candidate: str | None
    list_name: str | None
    list_number: int | None
    votes: int
    share_of_cast: float | None
    share_of_registered: float | None
    official_outcome: str  # the Ministry's record (Elu), for the JSON: never shown as a decision
    official_seats: int | None
    seats: int | None  # a list's seats, from the awards
    is_elected: bool  # from the awards
    note: str = ""  # "qualified for round 2": the one fact the awards don't hold


@dataclass(frozen=True)
class RoundResults:
    number: int
    registered: int
    abstentions: int
    voters: int
    blank: int
    null: int
    cast: int
    is_final: bool
    source_updated_at: datetime | None
    rows: list[TallyRow]
    # Round 1 of a majority vote: the votes needed to be elected (L. 294).
    majority: int | None = None
    quarter: int | None = None

    @property
    def turnout(self):
        return self.voters / self.registered if self.registered else None


@dataclass(frozen=True)
class ListResults:
    number: int
    name: str
    short_name: str
    candidates: list[tuple[int, str]]  # position, name


@dataclass(frozen=True)
class RaceResults:
    race: RaceState
    rounds: list[RoundResults]
    lists: list[ListResults]

    @property
    def is_proportional(self):
        return self.race.voting_system == VotingSystem.PROPORTIONAL

    @property
    def elected(self):
        return self.race.elected


def race_results(races):
    """{race pk: RaceResults} for these races (fetched with `Race.objects.for_display()`)."""
    races = list(races)
    keys = {race.pk: race_key(race) for race in races}
    found = cache.get_many(list(keys.values()))
    results = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [race for race in races if race.pk not in results]
    if missing:
        computed = compute_race_results(missing)
        cache.set_many({keys[pk]: value for pk, value in computed.items()}, CACHE_SECONDS)
        results.update(computed)
    return results


def compute_race_results(races):
    elected = elected_by_race(races)
    rounds = (
        Round.objects.filter(race__in=races)
        .order_by("race", "number")
        .prefetch_related(Prefetch("tallies", queryset=Tally.objects.ranked()))
    )
    lists = CandidateList.objects.filter(race__in=races).prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.order_by("list_position"))
    )
    rounds_by_race, lists_by_race = {}, {}
    for round_ in rounds:
        rounds_by_race.setdefault(round_.race_id, []).append(round_)
    for candidate_list in lists:
        lists_by_race.setdefault(candidate_list.race_id, {})[candidate_list.pk] = candidate_list
    results = {}
    for race in races:
        state = race_state_of(race, elected.get(race.pk, []))
        race_lists = lists_by_race.get(race.pk, {})
        race_rounds = rounds_by_race.get(race.pk, [])
        last_round = race_rounds[-1].number if race_rounds else None
        results[race.pk] = RaceResults(
            race=state,
            rounds=[
                round_results(round_, race_lists, state.elected, last_round, race.voting_system)
                for round_ in race_rounds
            ],
            lists=[
                ListResults(
                    number=candidate_list.number,
                    name=candidate_list.name,
                    short_name=candidate_list.short_name or candidate_list.name,
                    candidates=[
                        (candidate.list_position, candidate.full_name)
                        for candidate in candidate_list.candidates.all()
                    ],
                )
                for candidate_list in sorted(race_lists.values(), key=lambda item: item.number)
            ],
        )
    return results


def round_results(round_, lists, elected, last_round, voting_system):
    """One round's figures and rows, most votes first; who was elected comes from `elected`."""
    # A seat without a known round counts for the last round the race has.
    elected_in = {person.candidate_id: person.round_number or last_round for person in elected}
    seats_by_list = Counter(person.list_id for person in elected if person.list_id)
    rows = []
    for tally in round_.tallies.all():
        figures = {
            "votes": tally.votes,
            "share_of_cast": tally.votes / round_.cast if round_.cast else None,
            "share_of_registered": tally.votes / round_.registered if round_.registered else None,
            "official_outcome": tally.official_outcome,
            "official_seats": tally.official_seats,
        }
        if tally.candidate_id:
            name = tally.candidate.full_name
            is_qualified = tally.official_outcome == Tally.Outcome.QUALIFIED
            row = TallyRow(
                name=name,
                short_name=name,
                detail=tally.candidate.label,
                candidate=name,
                list_name=None,
                list_number=None,
                seats=None,
                is_elected=elected_in.get(tally.candidate_id) == round_.number,
                note=Tally.Outcome.QUALIFIED.label if is_qualified else "",
                **figures,
            )
        else:
            candidate_list = lists[tally.candidate_list_id]
            head = f"{candidate_list.head_first_name} {candidate_list.head_last_name}".strip()
            seats = seats_by_list[candidate_list.pk]
            row = TallyRow(
                name=candidate_list.name,
                short_name=candidate_list.short_name or candidate_list.name,
                detail=f"Tête de liste : {head}" if head else "",
                candidate=None,
                list_name=candidate_list.name,
                list_number=candidate_list.number,
                seats=seats,
                is_elected=seats > 0,
                **figures,
            )
        rows.append(row)
    return RoundResults(
        number=round_.number,
        registered=round_.registered,
        abstentions=round_.abstentions,
        voters=round_.voters,
        blank=round_.blank,
        null=round_.null,
        cast=round_.cast,
        is_final=round_.is_final,
        source_updated_at=round_.source_updated_at,
        rows=rows,
        **thresholds(round_, voting_system),
    )


def thresholds(round_, voting_system):
    if voting_system != VotingSystem.MAJORITY or round_.number != 1:
        return {}
    return {
        "majority": rules.absolute_majority(round_.cast),
        "quarter": rules.quarter_of_registered(round_.registered),
    }


# The official outcome against the rules


def row_key(row):
    """A row's identity, saved or not yet (the import compares before it writes)."""
    return ("pk", row.pk) if row.pk is not None else ("new", id(row))


@dataclass
class Comparison:
    """What the rules make of a race's figures, beside its seat awards."""

    outcome: rules.Outcome | None  # None without a first round
    computed: dict  # row_key(candidate) -> rules.Award
    rules: list  # (SeatAward, the rule that elects its candidate, "" if none)
    warnings: list[str]
    has_discrepancy: bool


def compare_with_rules(race, *, rounds, candidates, awards):
    """The rules' winners from the figures, and whether the awards differ from them.

    `rounds` are the race's (Round, [Tally]) pairs, each tally with its candidate or list
    at hand; `candidates` the race's candidates, with their list; `awards` its seat awards.
    A disagreement is flagged for the editors, never resolved.
    """
    outcome = rules_outcome(race, rounds=rounds, candidates=candidates)
    if outcome is None:
        return Comparison(None, {}, [(award, "") for award in awards], [], False)
    computed = {award.key: award for award in outcome.awards}
    official = {row_key(award.candidate): award for award in awards}
    matched = [
        (award, computed[key].rule.value if key in computed else "")
        for key, award in official.items()
    ]
    warnings = list(outcome.flags)
    has_discrepancy = bool(official) and set(computed) != set(official)
    if has_discrepancy:
        names = {row_key(candidate): candidate.last_name for candidate in candidates}
        warnings.append(
            "Les élus officiels ("
            + ", ".join(sorted(names[key] for key in official))
            + ") diffèrent de ceux que donnent les règles ("
            + ", ".join(sorted(names[key] for key in computed))
            + ") : à vérifier."
        )
    return Comparison(outcome, computed, matched, warnings, has_discrepancy)


def rules_outcome(race, *, rounds, candidates):
    by_number = {round_.number: (round_, tallies) for round_, tallies in rounds}
    if 1 not in by_number:
        return None
    first, first_tallies = by_number[1]
    if race.is_proportional:
        if not first.cast:
            return None  # no quotient without votes cast
        on_list = defaultdict(list)
        for candidate in candidates:
            if candidate.candidate_list is not None:
                on_list[row_key(candidate.candidate_list)].append(candidate)
        lists = [
            rules.ListContender(
                key=row_key(tally.candidate_list),
                votes=tally.votes,
                candidates=tuple(
                    rules.Contender(key=row_key(c), votes=0, birth_date=c.birth_date)
                    for c in sorted(
                        on_list[row_key(tally.candidate_list)], key=lambda c: c.list_position
                    )
                ),
            )
            for tally in first_tallies
            if tally.candidate_list is not None
        ]
        return rules.proportional(seats=race.seats, cast=first.cast, lists=lists)

    def contenders(tallies):
        return [
            rules.Contender(
                key=row_key(tally.candidate),
                votes=tally.votes,
                birth_date=tally.candidate.birth_date,
            )
            for tally in tallies
            if tally.candidate is not None
        ]

    outcome = rules.majority_round1(
        seats=race.seats,
        registered=first.registered,
        cast=first.cast,
        contenders=contenders(first_tallies),
    )
    left = race.seats - len(outcome.awards)
    if 2 in by_number and left > 0:
        second = rules.majority_round2(seats=left, contenders=contenders(by_number[2][1]))
        outcome = rules.Outcome(
            awards=outcome.awards + second.awards, flags=outcome.flags + second.flags
        )
    return outcome
