"""What the results pages and the API show, gathered in a fixed number of queries.

`election_results(election)` reads the whole election in six queries, whatever its size, and
returns plain data that the election page, the map, the table and the JSON all use, so they
cannot disagree. The result is cached under the election's results version.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Prefetch, Sum

from elections.charts import hemicycle_seats
from elections.models import (
    Bloc,
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


def compute_results(election):
    races = {
        race.constituency_id: race
        for race in election.races.select_related("constituency", "election")
    }
    awards = (
        SeatAward.objects.filter(race__election=election)
        .select_related(
            "race__constituency",
            "race__election",
            "candidate__group",
            "candidate__nuance",
            "candidate__candidate_list__nuance",
        )
        .order_by("race__constituency__code", "round_number", "candidate__list_position", "pk")
    )
    elected_by_race = {}
    for award in awards:
        elected_by_race.setdefault(award.race_id, []).append(elected_from(award))
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
        elected = elected_by_race.get(race.pk, [])
        states.append(
            RaceState(
                constituency.code,
                constituency.name,
                race.get_absolute_url(),
                race.seats,
                race.voting_system,
                race_state(race, elected),
                elected,
            )
        )

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


def race_details(race):
    """Rounds with their tallies, lists with their candidates, in four queries."""
    tallies = Tally.objects.select_related("candidate", "candidate_list").order_by("-votes", "pk")
    rounds = list(race.rounds.prefetch_related(Prefetch("tallies", queryset=tallies)))
    lists = {
        candidate_list.pk: candidate_list
        for candidate_list in race.lists.prefetch_related("candidates")
    }
    awards = {
        award.candidate_id: award
        for award in race.awards.select_related("candidate__candidate_list")
    }
    return rounds, lists, awards


def list_seats(candidate_list: CandidateList, awards):
    return sum(1 for candidate in candidate_list.candidates.all() if candidate.pk in awards)


@dataclass(frozen=True)
class TallyRow:
    name: str
    detail: str  # the nuance, or the list's head
    votes: int
    share_of_cast: float | None
    share_of_registered: float | None
    outcome: str
    seats: int | None
    is_elected: bool


def round_rows(round_, lists, awards):
    """Each candidate or list of one round, most votes first, with shares and outcome."""
    rows = []
    for tally in round_.tallies.all():
        if tally.candidate_id:
            candidate = tally.candidate
            award = awards.get(candidate.pk)
            rows.append(
                TallyRow(
                    name=candidate.full_name,
                    detail=candidate.label,
                    votes=tally.votes,
                    share_of_cast=tally.votes / round_.cast if round_.cast else None,
                    share_of_registered=(
                        tally.votes / round_.registered if round_.registered else None
                    ),
                    outcome=tally.get_official_outcome_display(),
                    seats=None,
                    is_elected=bool(award and award.round_number == round_.number),
                )
            )
        else:
            candidate_list = lists[tally.candidate_list_id]
            seats = list_seats(candidate_list, awards)
            head = f"{candidate_list.head_first_name} {candidate_list.head_last_name}".strip()
            rows.append(
                TallyRow(
                    name=candidate_list.name,
                    detail=f"Tête de liste : {head}" if head else "",
                    votes=tally.votes,
                    share_of_cast=tally.votes / round_.cast if round_.cast else None,
                    share_of_registered=(
                        tally.votes / round_.registered if round_.registered else None
                    ),
                    outcome="",
                    seats=seats,
                    is_elected=seats > 0,
                )
            )
    return rows
