from datetime import date

import pytest

from elections.rules import (
    Award,
    Contender,
    ListContender,
    Rule,
    absolute_majority,
    majority_round1,
    majority_round2,
    proportional,
    quarter_of_registered,
)

OLD, YOUNG = date(1950, 3, 1), date(1970, 3, 1)


def make_list(key, votes, *names, born=()):
    """A list named `key` whose candidates are `names`, with birth dates in list order."""
    dates = list(born) + [None] * (len(names) - len(born))
    candidates = tuple(Contender(name, 0, birth) for name, birth in zip(names, dates, strict=True))
    return ListContender(key, votes, candidates)


# Thresholds


@pytest.mark.parametrize(("cast", "threshold"), [(560, 281), (561, 281), (562, 282), (1, 1)])
def test_absolute_majority_is_the_first_whole_vote_above_half(cast, threshold):
    assert absolute_majority(cast) == threshold


@pytest.mark.parametrize(
    ("registered", "threshold"), [(1000, 250), (578, 145), (579, 145), (580, 145), (581, 146)]
)
def test_quarter_of_registered_rounds_up_to_a_whole_vote(registered, threshold):
    assert quarter_of_registered(registered) == threshold


@pytest.mark.parametrize(
    ("cast", "votes", "is_elected"),
    [
        (560, 280, False),  # exactly half is not a majority
        (560, 281, True),
        (561, 280, False),  # below 280.5
        (561, 281, True),
    ],
)
def test_round1_needs_strictly_more_than_half_of_votes_cast(cast, votes, is_elected):
    outcome = majority_round1(
        seats=1, registered=600, cast=cast, contenders=[Contender("A", votes)]
    )
    assert bool(outcome.awards) is is_elected


@pytest.mark.parametrize(
    ("registered", "votes", "is_elected"),
    [
        (1000, 250, True),  # exactly a quarter is enough
        (1000, 249, False),
        (578, 145, True),  # a quarter is 144.5
        (578, 144, False),
        (579, 145, True),  # 144.75
        (581, 145, False),  # 145.25
    ],
)
def test_round1_needs_a_quarter_of_registered_electors(registered, votes, is_elected):
    outcome = majority_round1(
        seats=1, registered=registered, cast=votes + 10, contenders=[Contender("A", votes)]
    )
    assert bool(outcome.awards) is is_elected


# Majority system, two rounds


def test_new_caledonia_2023_fills_one_seat_in_each_round():
    round1 = majority_round1(
        seats=2,
        registered=578,
        cast=561,
        contenders=[
            Contender("Naturel", 351),
            Contender("Xowie", 259),
            Contender("Backès", 225),
        ],
    )
    assert round1.awards == (Award("Naturel", Rule.ROUND1_MAJORITY, 1),)
    assert round1.flags == ()

    round2 = majority_round2(
        seats=2 - len(round1.awards),
        contenders=[
            Contender("Xowie", 307),
            Contender("Backès", 246),
            Contender("Wenehoua", 2),
        ],
    )
    assert round2.awards == (Award("Xowie", Rule.ROUND2_PLURALITY, 2),)
    assert round2.flags == ()


def test_round1_with_more_qualifiers_than_seats_elects_the_most_voted():
    outcome = majority_round1(
        seats=2,
        registered=600,
        cast=500,
        contenders=[Contender("C", 300), Contender("A", 400), Contender("B", 350)],
    )
    assert outcome.elected_keys == ("A", "B")


def test_round1_tie_for_the_last_seat_goes_to_the_oldest():
    outcome = majority_round1(
        seats=2,
        registered=600,
        cast=500,
        contenders=[
            Contender("A", 400),
            Contender("Cadet", 300, YOUNG),
            Contender("Aîné", 300, OLD),
        ],
    )
    assert outcome.awards == (
        Award("A", Rule.ROUND1_MAJORITY, 1),
        Award("Aîné", Rule.AGE_TIEBREAK, 1),
    )
    assert outcome.flags == ()


def test_round1_tie_with_a_missing_birth_date_leaves_the_seat_to_an_editor():
    outcome = majority_round1(
        seats=2,
        registered=600,
        cast=500,
        contenders=[Contender("A", 400), Contender("B", 300, OLD), Contender("C", 300)],
    )
    assert outcome.elected_keys == ("A",)
    assert outcome.flags == (
        "Égalité à 300 voix entre B et C (premier tour) : 1 siège non attribué "
        "(date de naissance manquante). À trancher par la rédaction.",
    )


def test_round1_winners_may_total_more_votes_than_were_cast():
    """A ballot carries as many names as seats, so this is no error."""
    outcome = majority_round1(
        seats=2,
        registered=100,
        cast=90,
        contenders=[Contender("A", 80), Contender("B", 70), Contender("C", 20)],
    )
    assert outcome.elected_keys == ("A", "B")


def test_round2_elects_by_plurality_without_any_threshold():
    outcome = majority_round2(
        seats=1, contenders=[Contender("A", 30), Contender("B", 40), Contender("C", 35)]
    )
    assert outcome.awards == (Award("B", Rule.ROUND2_PLURALITY, 2),)


def test_round2_tie_goes_to_the_oldest():
    outcome = majority_round2(
        seats=1,
        contenders=[Contender("Cadet", 200, YOUNG), Contender("Aîné", 200, OLD)],
    )
    assert outcome.awards == (Award("Aîné", Rule.AGE_TIEBREAK, 2),)
    assert outcome.flags == ()


def test_round2_tie_within_the_seats_needs_no_birth_date():
    outcome = majority_round2(
        seats=2, contenders=[Contender("A", 200), Contender("B", 200), Contender("C", 10)]
    )
    assert outcome.awards == (
        Award("A", Rule.ROUND2_PLURALITY, 2),
        Award("B", Rule.ROUND2_PLURALITY, 2),
    )


@pytest.mark.parametrize(
    ("born", "problem"),
    [((OLD, None), "date de naissance manquante"), ((OLD, OLD), "même date de naissance")],
)
def test_round2_tie_the_oldest_cannot_break_is_flagged_and_not_awarded(born, problem):
    outcome = majority_round2(
        seats=1, contenders=[Contender("A", 200, born[0]), Contender("B", 200, born[1])]
    )
    assert outcome.awards == ()
    assert outcome.flags == (
        f"Égalité à 200 voix entre A et B (second tour) : 1 siège non attribué ({problem}). "
        "À trancher par la rédaction.",
    )


def test_round2_elects_nobody_without_votes():
    outcome = majority_round2(seats=1, contenders=[Contender("A", 0, OLD), Contender("B", 0)])
    assert outcome.awards == ()
    assert outcome.flags == (
        "1 siège non attribué : aucun autre candidat n’a de voix au second tour.",
    )


def test_allier_2026_elects_both_in_round1_with_votes_adding_up_to_more_than_cast():
    # Ministry feed R103.xml, Allier, 2 seats: Inscrits 970, Exprimés 950.
    outcome = majority_round1(
        seats=2,
        registered=970,
        cast=950,
        contenders=[
            Contender("BONAUD", 33),
            Contender("DE NICOLAY", 91),
            Contender("GENESTE", 190),
            Contender("LEFEBRE", 176),
            Contender("MALHURET", 636),
            Contender("PICARD", 14),
            Contender("ROJOUAN", 643),
        ],
    )
    assert set(outcome.elected_keys) == {"MALHURET", "ROJOUAN"}  # Elu=OUI
    assert outcome.flags == ()


def test_ardennes_2026_elects_one_senator_in_each_round():
    # Ministry feed R208.xml, Ardennes, 2 seats: round 1 Inscrits 964, Exprimés 922.
    round1 = majority_round1(
        seats=2,
        registered=964,
        cast=922,
        contenders=[
            Contender("BACHY", 196),
            Contender("DUMAY", 170),
            Contender("GERARD", 32),
            Contender("JOSEPH", 477),
            Contender("LAMÉNIE", 284),
            Contender("LANGRENEZ", 116),
            Contender("VILLENET", 242),
        ],
    )
    assert round1.elected_keys == ("JOSEPH",)  # Elu=OUI; the others QUALIFIE(E) AU T2

    # Round 2 (Exprimés 894).
    round2 = majority_round2(
        seats=2 - len(round1.awards),
        contenders=[
            Contender("GERARD", 28),
            Contender("LAMÉNIE", 466),
            Contender("LANGRENEZ", 108),
            Contender("VILLENET", 292),
        ],
    )
    assert round2.elected_keys == ("LAMÉNIE",)  # Elu=OUI


# Proportional representation


def test_quotient_seats_come_first_then_highest_average():
    # Quotient 1000 / 4 = 250: A 620 → 2, B 380 → 1. Last seat: A 620/3 ≈ 206.7, B 380/2 = 190.
    outcome = proportional(
        seats=4,
        cast=1000,
        lists=[make_list("A", 620, "a1", "a2", "a3", "a4"), make_list("B", 380, "b1", "b2")],
    )
    assert outcome.awards == (
        Award("a1", Rule.QUOTIENT, 1),
        Award("a2", Rule.QUOTIENT, 1),
        Award("b1", Rule.QUOTIENT, 1),
        Award("a3", Rule.HIGHEST_AVERAGE, 1),
    )
    assert outcome.seats_by_list == {"A": 3, "B": 1}
    assert outcome.flags == ()


def test_quotient_seats_use_exact_fractions():
    # Quotient 116 / 14: 58 votes are exactly 7 quotients, where floats make 6.999999999999999.
    assert 58 / (116 / 14) < 7
    outcome = proportional(
        seats=14,
        cast=116,
        lists=[
            make_list("A", 58, *[f"a{number}" for number in range(1, 8)]),
            make_list("B", 58, *[f"b{number}" for number in range(1, 8)]),
        ],
    )
    assert outcome.seats_by_list == {"A": 7, "B": 7}
    assert {award.rule for award in outcome.awards} == {Rule.QUOTIENT}


def test_highest_average_differs_from_largest_remainder():
    lists = [
        make_list("A", 470, "a1", "a2", "a3", "a4", "a5"),
        make_list("B", 300, "b1", "b2", "b3", "b4", "b5"),
        make_list("C", 230, "c1", "c2", "c3", "c4", "c5"),
    ]
    # By hand, largest remainder: quotient 1000 / 5 = 200; A 2 (remainder 70), B 1 (100),
    # C 1 (30); the fifth seat goes to the largest remainder, B's.
    largest_remainder = {"A": 2, "B": 2, "C": 1}
    # Highest average: A 470/3 ≈ 156.7 beats B 300/2 = 150 and C 230/2 = 115.
    outcome = proportional(seats=5, cast=1000, lists=lists)
    assert outcome.seats_by_list == {"A": 3, "B": 1, "C": 1}
    assert outcome.seats_by_list != largest_remainder
    assert outcome.awards[-1] == Award("a3", Rule.HIGHEST_AVERAGE, 1)


def test_a_list_without_candidates_left_is_skipped():
    # A's 90 votes are worth 2 quotient seats but it has a single candidate.
    outcome = proportional(
        seats=3,
        cast=100,
        lists=[make_list("A", 90, "a1"), make_list("B", 10, "b1", "b2", "b3")],
    )
    assert outcome.seats_by_list == {"A": 1, "B": 2}
    assert outcome.elected_keys == ("a1", "b1", "b2")
    assert outcome.flags == ()


def test_seats_no_list_can_take_are_flagged():
    outcome = proportional(
        seats=3, cast=100, lists=[make_list("A", 90, "a1"), make_list("B", 10, "b1")]
    )
    assert outcome.elected_keys == ("a1", "b1")
    assert outcome.flags == (
        "1 siège non attribué : aucune autre liste ayant des voix n’a encore de candidat à élire.",
    )


def test_equal_averages_with_seats_for_each_list_need_no_decision():
    # Quotient 250: A 1, B 1; then A and B both average 225 for the two seats left.
    outcome = proportional(
        seats=4,
        cast=1000,
        lists=[
            make_list("A", 450, "a1", "a2", "a3"),
            make_list("B", 450, "b1", "b2", "b3"),
            make_list("C", 100, "c1"),
        ],
    )
    assert outcome.seats_by_list == {"A": 2, "B": 2, "C": 0}
    assert outcome.flags == ()


def test_equal_averages_for_the_last_seat_go_to_the_list_with_more_votes_and_are_flagged():
    # Quotient 333.3: A 1, B 1. Last seat: A 400/2 = 200 ties C 200/1; A has more votes.
    outcome = proportional(
        seats=3,
        cast=1000,
        lists=[
            make_list("A", 400, "a1", "a2"),
            make_list("B", 350, "b1", "b2"),
            make_list("C", 200, "c1", "c2"),
            make_list("D", 50, "d1", "d2"),
        ],
    )
    assert outcome.awards[-1] == Award("a2", Rule.HIGHEST_AVERAGE, 1)
    assert outcome.seats_by_list == {"A": 2, "B": 1, "C": 0, "D": 0}
    assert outcome.flags == (
        "Égalité de moyenne pour le dernier siège entre A et C : "
        "siège attribué à A (plus de suffrages). À confirmer par la rédaction.",
    )


def three_lists_tied_at_200(a2_born, b2_born):
    """A and B win a quotient seat each, then A, B and C all average 200 for the last."""
    return proportional(
        seats=3,
        cast=1000,
        lists=[
            make_list("A", 400, "a1", "a2", born=(OLD, a2_born)),
            make_list("B", 400, "b1", "b2", born=(YOUNG, b2_born)),
            make_list("C", 200, "c1", "c2", born=(OLD, OLD)),
        ],
    )


def test_equal_averages_and_votes_go_to_the_list_whose_next_candidate_is_older():
    # C is out on votes; A and B tie on 400, and B's second candidate is the older.
    outcome = three_lists_tied_at_200(a2_born=YOUNG, b2_born=OLD)
    assert outcome.awards[-1] == Award("b2", Rule.AGE_TIEBREAK, 1)
    assert outcome.seats_by_list == {"A": 1, "B": 2, "C": 0}
    assert outcome.flags == (
        "Égalité de moyenne pour le dernier siège entre A, B et C : "
        "siège attribué à B (âge de b2). À confirmer par la rédaction.",
    )


@pytest.mark.parametrize(
    ("b2_born", "problem"),
    [(None, "date de naissance manquante"), (YOUNG, "même date de naissance")],
)
def test_equal_averages_age_cannot_break_leave_the_seat_to_an_editor(b2_born, problem):
    outcome = three_lists_tied_at_200(a2_born=YOUNG, b2_born=b2_born)
    assert outcome.elected_keys == ("a1", "b1")
    assert outcome.seats_by_list == {"A": 1, "B": 1, "C": 0}
    assert outcome.flags == (
        "Égalité de moyenne pour le dernier siège entre A, B et C : "
        f"1 siège non attribué ({problem}). À trancher par la rédaction.",
    )


def test_ain_2026_matches_the_ministry_seats():
    # Ministry feed R101.xml, Ain, 3 seats: Exprimés 1917; NbVoix per Liste, candidates
    # in NumOrdCand order.
    lists = [
        make_list("DUMAS", 84, "DUMAS", "DUCRET ANTOINE", "KOCH", "MOUILLARD", "ROUXEL"),
        make_list(
            "BLATRIX CONTAT", 471, "BLATRIX CONTAT", "GREFFET", "QUICOT", "DELOCHE", "OLLIET"
        ),
        make_list("THIERRY", 7, "THIERRY", "BONNASSIES", "MISTER", "DA COSTA", "DIERICKX"),
        make_list("GIVERNET", 136, "GIVERNET", "REY", "DE VILLA", "CRISTIN", "ANDRÉ"),
        make_list("HUGUET", 62, "HUGUET", "JOLIE", "TOMAKA BUISINE", "PRADAT", "GOUMID"),
        make_list("BAUDE", 738, "BAUDE", "CHAIZE", "KELLER", "DEGUERRY", "BUTILLON"),
        make_list("GOY-CHAVENT", 419, "GOY-CHAVENT", "GUYADER", "DUBOIS", "POMMIER", "DESCHAMPS"),
    ]
    ministry_seats = {  # NbSieges
        "DUMAS": 0,
        "BLATRIX CONTAT": 1,
        "THIERRY": 0,
        "GIVERNET": 0,
        "HUGUET": 0,
        "BAUDE": 1,
        "GOY-CHAVENT": 1,
    }
    outcome = proportional(seats=3, cast=1917, lists=lists)
    assert outcome.seats_by_list == ministry_seats
    # Quotient 639: BAUDE 738 wins one; then 471 and 419 beat BAUDE's 738/2 = 369.
    assert outcome.awards == (
        Award("BAUDE", Rule.QUOTIENT, 1),
        Award("BLATRIX CONTAT", Rule.HIGHEST_AVERAGE, 1),
        Award("GOY-CHAVENT", Rule.HIGHEST_AVERAGE, 1),
    )
    assert outcome.flags == ()


# Input checks


def test_seats_must_be_at_least_one():
    with pytest.raises(ValueError, match="au moins un siège"):
        majority_round2(seats=0, contenders=[Contender("A", 1)])


def test_votes_cannot_be_negative():
    with pytest.raises(ValueError, match="Nombre de voix négatif pour A"):
        Contender("A", -1)
    with pytest.raises(ValueError, match="négatif pour la liste L"):
        ListContender("L", -1, ())


def test_registered_and_cast_cannot_be_negative():
    with pytest.raises(ValueError, match="négatifs"):
        majority_round1(seats=1, registered=10, cast=-1, contenders=[])


def test_proportional_needs_votes_cast():
    with pytest.raises(ValueError, match="quotient électoral"):
        proportional(seats=3, cast=0, lists=[make_list("A", 0, "a1")])


def test_proportional_refuses_more_quotient_seats_than_seats():
    with pytest.raises(ValueError, match="dépassent les suffrages exprimés"):
        proportional(
            seats=3,
            cast=100,
            lists=[make_list("A", 100, "a1", "a2", "a3"), make_list("B", 100, "b1", "b2")],
        )
