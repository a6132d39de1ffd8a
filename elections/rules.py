"""Senatorial electoral rules (Code électoral, articles L. 294 and L. 295) as pure functions."""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction


class Rule(StrEnum):
    """Why a seat was awarded; the values are stored in the database."""

    ROUND1_MAJORITY = "round1_majority"
    ROUND2_PLURALITY = "round2_plurality"
    AGE_TIEBREAK = "age_tiebreak"
    # Proportional seats keep how they were won, for the results page: a quotient seat is
    # won outright, a highest-average seat out of what the quotients leave.
    QUOTIENT = "quotient"
    HIGHEST_AVERAGE = "highest_average"


@dataclass(frozen=True)
class Contender:
    """A candidate's votes, with the birth date that breaks ties."""

    key: Hashable
    votes: int
    birth_date: date | None = None

    def __post_init__(self):
        if self.votes < 0:
            raise ValueError(f"Nombre de voix négatif pour {self.key} : {self.votes}.")


@dataclass(frozen=True)
class ListContender:
    """A list's votes and its candidates in list order (their own votes are unused)."""

    key: Hashable
    votes: int
    candidates: tuple[Contender, ...]

    def __post_init__(self):
        if self.votes < 0:
            raise ValueError(f"Nombre de voix négatif pour la liste {self.key} : {self.votes}.")


@dataclass(frozen=True)
class Award:
    """A seat won by the candidate with this key."""

    key: Hashable
    rule: Rule
    round: int


@dataclass(frozen=True)
class Outcome:
    """Seats awarded, and sentences for the editors when the law leaves them a decision."""

    awards: tuple[Award, ...]
    flags: tuple[str, ...] = ()
    # Pairs rather than a dict so the outcome stays hashable like the rest of its fields.
    list_seats: tuple[tuple[Hashable, int], ...] = ()

    @property
    def elected_keys(self) -> tuple[Hashable, ...]:
        """Return the elected candidates' keys in the order their seats were awarded."""
        return tuple(award.key for award in self.awards)

    @property
    def seats_by_list(self) -> dict[Hashable, int]:
        """Return the seats won by each list, zero included; empty for majority rounds."""
        return dict(self.list_seats)


def absolute_majority(cast: int) -> int:
    """Return the smallest number of votes that is more than half of those cast."""
    return cast // 2 + 1


def quarter_of_registered(registered: int) -> int:
    """Return the smallest number of votes that is at least a quarter of the registered."""
    return -(-registered // 4)


def majority_round1(
    *, seats: int, registered: int, cast: int, contenders: Iterable[Contender]
) -> Outcome:
    """Elect those with an absolute majority and a quarter of the registered (L. 294)."""
    _check_seats(seats)
    if registered < 0 or cast < 0:
        raise ValueError(
            "Les nombres d’inscrits et de suffrages exprimés ne peuvent être négatifs."
        )
    # Each ballot names up to `seats` candidates, so several may pass both thresholds:
    # the most votes then win, as in the second round.
    qualified = [
        contender
        for contender in contenders
        if contender.votes >= absolute_majority(cast)
        and contender.votes >= quarter_of_registered(registered)
    ]
    awards, flags, _ = _elect_by_votes(seats, qualified, rule=Rule.ROUND1_MAJORITY, round=1)
    return Outcome(awards, flags)


def majority_round2(*, seats: int, contenders: Iterable[Contender]) -> Outcome:
    """Elect the most voted for the seats left after round one (L. 294)."""
    _check_seats(seats)
    # A relative majority still takes at least one vote: an empty tally elects nobody,
    # rather than the oldest candidates before any result has come in.
    voted = [contender for contender in contenders if contender.votes > 0]
    awards, flags, undecided = _elect_by_votes(seats, voted, rule=Rule.ROUND2_PLURALITY, round=2)
    if unfilled := seats - len(awards) - undecided:
        flags += (
            f"{_unawarded_phrase(unfilled)} : aucun autre candidat n’a de voix au second tour.",
        )
    return Outcome(awards, flags)


def proportional(*, seats: int, cast: int, lists: Iterable[ListContender]) -> Outcome:
    """Share seats between closed lists by quotient then highest average (L. 295)."""
    _check_seats(seats)
    if cast <= 0:
        raise ValueError("Aucun suffrage exprimé : le quotient électoral est incalculable.")
    lists = tuple(lists)
    won = {entry.key: 0 for entry in lists}
    awards: list[Award] = []
    flags: list[str] = []

    def award(entry: ListContender, rule: Rule) -> None:
        awards.append(Award(entry.candidates[won[entry.key]].key, rule, 1))
        won[entry.key] += 1

    # floor(votes / (cast / seats)) in integers, so no rounding can move a seat.
    for entry in lists:
        for _ in range(min(entry.votes * seats // cast, len(entry.candidates))):
            award(entry, Rule.QUOTIENT)
    if len(awards) > seats:
        raise ValueError("Les voix des listes dépassent les suffrages exprimés.")

    while len(awards) < seats:
        open_seats = seats - len(awards)
        # A list with no candidate left, or no vote, cannot take a seat.
        eligible = [e for e in lists if e.votes and won[e.key] < len(e.candidates)]
        if not eligible:
            flags.append(
                f"{_unawarded_phrase(open_seats)} : aucune autre liste ayant des voix "
                "n’a encore de candidat à élire."
            )
            break
        best = max(Fraction(e.votes, won[e.key] + 1) for e in eligible)
        tied = [e for e in eligible if Fraction(e.votes, won[e.key] + 1) == best]
        if len(tied) <= open_seats:
            # Each tied list gets a seat whatever the order: no decision to make.
            for entry in tied:
                award(entry, Rule.HIGHEST_AVERAGE)
            continue

        # More tied lists than seats left: the list with more votes, then the list whose next
        # candidate is older. Editors confirm it either way: a single vote or birth date decides it.
        by_votes, vote_tied = _split(open_seats, tied, lambda e: e.votes)
        by_age, problem = _split_by_age(
            open_seats - len(by_votes), vote_tied, lambda e: e.candidates[won[e.key]]
        )
        decisions = [f"siège attribué à {e.key} (plus de suffrages)" for e in by_votes]
        decisions += [
            f"siège attribué à {e.key} (âge de {e.candidates[won[e.key]].key})" for e in by_age
        ]
        if problem:
            undecided = open_seats - len(by_votes) - len(by_age)
            decisions.append(f"{_unawarded_phrase(undecided)} ({problem})")
        flags.append(
            f"Égalité de moyenne pour {_last_seats_phrase(open_seats)} entre "
            f"{_names(e.key for e in tied)} : {' ; '.join(decisions)}. "
            f"À {'trancher' if problem else 'confirmer'} par la rédaction."
        )
        for entry in by_votes:
            award(entry, Rule.HIGHEST_AVERAGE)
        for entry in by_age:
            award(entry, Rule.AGE_TIEBREAK)
        break

    return Outcome(
        tuple(awards), tuple(flags), tuple((entry.key, won[entry.key]) for entry in lists)
    )


def _check_seats(seats: int) -> None:
    if seats < 1:
        raise ValueError(f"Il faut au moins un siège à pourvoir, pas {seats}.")


def _elect_by_votes(
    seats: int, contenders: Sequence[Contender], *, rule: Rule, round: int
) -> tuple[tuple[Award, ...], tuple[str, ...], int]:
    """Return awards to the most voted, oldest first on equal votes; flags; seats undecided."""
    by_votes, tied = _split(seats, contenders, lambda c: c.votes)
    awards = [Award(c.key, rule, round) for c in by_votes]
    by_age, problem = _split_by_age(seats - len(by_votes), tied, lambda c: c)
    awards += [Award(c.key, Rule.AGE_TIEBREAK, round) for c in by_age]
    if not problem:
        return tuple(awards), (), 0
    undecided = seats - len(awards)
    flag = (
        f"Égalité à {tied[0].votes} voix entre {_names(c.key for c in tied)} "
        f"({'premier' if round == 1 else 'second'} tour) : {_unawarded_phrase(undecided)} "
        f"({problem}). À trancher par la rédaction."
    )
    return tuple(awards), (flag,), undecided


def _split[T](seats: int, items: Sequence[T], score: Callable[[T], int]) -> tuple[list[T], list[T]]:
    """Return the items surely among the best `seats`, and those tied for the rest."""
    ranked = sorted(items, key=score, reverse=True)
    if seats <= 0:
        return [], []
    if len(ranked) <= seats or score(ranked[seats - 1]) != score(ranked[seats]):
        return ranked[:seats], []
    cutoff = score(ranked[seats - 1])
    return [i for i in ranked if score(i) > cutoff], [i for i in ranked if score(i) == cutoff]


def _split_by_age[T](
    seats: int, tied: Sequence[T], person: Callable[[T], Contender]
) -> tuple[list[T], str]:
    """Give `seats` to the oldest of the tied; return the winners and why any seat is left."""
    if not tied:
        return [], ""
    if any(person(item).birth_date is None for item in tied):
        # Not guessing: a wrong call on a seat is worse than a seat left to an editor.
        return [], "date de naissance manquante"
    older, still_tied = _split(seats, tied, lambda item: -person(item).birth_date.toordinal())
    return older, "même date de naissance" if still_tied else ""


def _unawarded_phrase(count: int) -> str:
    return "1 siège non attribué" if count == 1 else f"{count} sièges non attribués"


def _last_seats_phrase(count: int) -> str:
    return "le dernier siège" if count == 1 else f"les {count} derniers sièges"


def _names(keys: Iterable[Hashable]) -> str:
    names = [str(key) for key in keys]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"
