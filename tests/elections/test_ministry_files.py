"""elections/ministry.py reads the Ministry's files into plain data, with no database.

Like tests/elections/test_rules.py, these run without Django's database: the real files of
the shared data folder, and crafted bad ones.
"""

import ast
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from elections import ministry
from elections.ministry import Outcome, Source, read
from elections.models import Tally

SHARED_FEED = Path("/work/shared/data/ministry-feed")
FEED = SHARED_FEED if SHARED_FEED.is_dir() else settings.BASE_DIR / "elections/data/ministry-feed"
PARIS = ZoneInfo("Europe/Paris")


def feed(name, *replacements):
    """A file of the feed, with each (old, new) replaced once."""
    text = (FEED / name).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return Source(name, text.encode())


def problems(reading):
    return [str(problem) for problem in reading.problems]


def test_the_module_imports_nothing_from_django_nor_the_models():
    tree = ast.parse(Path(ministry.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [m for m in modules if m == "django" or m.startswith(("django.", "elections"))]


def test_its_outcomes_are_the_ones_tallies_store():
    assert {outcome.value for outcome in Outcome} == set(Tally.Outcome.values)


def test_the_ain_file_gives_every_list_in_order_with_its_seats():
    reading = read(feed("R101.xml"))
    assert problems(reading) == [] and reading.warnings == []
    assert (reading.kind, reading.year) == ("Sénatoriales", "2026")
    [race] = reading.races
    assert (race.code, race.name, race.seats, race.seats_filled) == ("01", "Ain", 3, 3)
    [round_] = race.rounds
    assert round_.figures == {
        "registered": 1956, "abstentions": 25, "voters": 1931, "blank": 8, "null": 6, "cast": 1917,
    }  # fmt: skip
    assert sum(liste.votes for liste in round_.lists) == 1917
    assert sorted(liste.seats for liste in round_.lists) == [0, 0, 0, 0, 1, 1, 1]
    agir = next(liste for liste in round_.lists if liste.number == 2)
    assert agir.name == "Agir ensemble pour l'Ain et ses communes" and agir.short_name == ""
    assert (agir.head_first_name, agir.head_last_name, agir.head_sex) == (
        "Florence", "BLATRIX CONTAT", "F",
    )  # fmt: skip
    assert (agir.nuance_code, agir.nuance_label) == ("LDVG", "Liste divers gauche")
    assert [c.position for c in agir.candidates] == [1, 2, 3, 4, 5]
    assert {c.list_number for c in agir.candidates} == {2}
    elected = race.elected_in(1)
    assert sorted(c.last_name for c in elected) == ["BAUDE", "BLATRIX CONTAT", "GOY-CHAVENT"]


def test_the_ardennes_file_carries_both_rounds():
    [race] = read(feed("R208.xml")).races
    assert [round_.number for round_ in race.rounds] == [1, 2]
    first = {c.last_name: (c.votes, c.outcome) for c in race.rounds[0].candidates}
    assert first["JOSEPH"] == (477, Outcome.ELECTED)
    assert first["LAMÉNIE"] == (284, Outcome.QUALIFIED)
    assert [c.last_name for c in race.elected_in(2)] == ["LAMÉNIE"]
    joseph = next(c for c in race.rounds[0].candidates if c.last_name == "JOSEPH")
    assert joseph.sex == "F" and joseph.nuance_code


def test_the_allier_file_warns_nothing_though_its_votes_exceed_those_cast():
    reading = read(feed("R103.xml"))
    [round_] = reading.races[0].rounds
    assert sum(c.votes for c in round_.candidates) > round_.figures["cast"]
    assert reading.problems == [] and reading.warnings == []


def test_the_indexes_give_state_times_counting_and_the_rounds_without_candidates():
    first = read(feed("INDEX1FE.xml"))
    assert len(first.index) == 64 and {e.round_number for e in first.index} == {1}
    ain = next(entry for entry in first.index if entry.code == "01")
    assert ain.updated_at == datetime(2026, 9, 27, 19, 16, 41, tzinfo=PARIS)
    assert (ain.received, ain.filled) == (True, "T1")
    assert (ain.stations_counted, ain.stations_share) == (1, Decimal("100.00"))
    second = read(feed("INDEX2FE.xml"))
    assert len(second.index) == 34 and {e.round_number for e in second.index} == {2}
    assert sorted(e.code for e in second.index if e.has_no_candidacy) == ["973", "987"]


def test_a_whole_list_name_is_kept_beside_the_ministrys_cut_one():
    whole = (
        "Pour l’Ain, ses communes, ses agriculteurs, ses artisans et tous ceux qui le font "
        "vivre au quotidien, ensemble"
    )
    assert len(whole) > 100
    reading = read(
        feed(
            "R101.xml",
            (
                "<NomListe>Agir ensemble pour l'Ain et ses communes</NomListe>",
                f"<NomListe>{whole[:100]}</NomListe>",
            ),
            (
                "<NomCompListe>Agir ensemble pour l'Ain et ses communes</NomCompListe>",
                f"<NomCompListe>{whole}</NomCompListe>",
            ),
        )
    )
    agir = next(li for li in reading.races[0].rounds[0].lists if li.number == 2)
    assert (agir.name, agir.short_name) == (whole, whole[:100])


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        (
            ("<NbVoix>636</NbVoix>", "<NbVoix>-636</NbVoix>"),
            "« -636 » n’est pas un nombre entier positif.",
        ),
        (("<NbVoix>636</NbVoix>", "<NbVoix></NbVoix>"), "nombre manquant."),
        (("<Elu>OUI</Elu>", "<Elu>PEUT-ÊTRE</Elu>"), "valeur inconnue « PEUT-ÊTRE »"),
        (("<NumTour>1</NumTour>", "<NumTour>3</NumTour>"), "le numéro de tour doit être 1 ou 2."),
        (
            ("<CodCirElec>03</CodCirElec>", "<CodCirElec></CodCirElec>"),
            "code de circonscription (CodCirElec) manquant.",
        ),
        (("<NomPsn>MALHURET</NomPsn>", "<NomPsn></NomPsn>"), "nom (NomPsn) manquant."),
    ],
)
def test_a_bad_value_is_a_problem_at_its_place(replacement, message):
    found = problems(read(feed("R103.xml", replacement)))
    assert message in found[0], found
    assert found[0].startswith("R103.xml, Circonscription")


def test_the_figures_must_add_up():
    reading = read(feed("R103.xml", ("<Nombre>950</Nombre>", "<Nombre>951</Nombre>")))
    assert (
        problems(reading)
        == [
            "R103.xml, Circonscription 03 (Allier) > Tour 1 : exprimés (951) ≠ votants (964) − "
            "blancs (7) − nuls (7)."
        ]
        or "exprimés (951) ≠ votants" in problems(reading)[0]
    )


def test_the_same_round_twice_is_a_problem():
    text = (FEED / "R208.xml").read_text(encoding="utf-8")
    doubled = text.replace("<NumTour>2</NumTour>", "<NumTour>1</NumTour>", 1)
    found = problems(read(Source("R208.xml", doubled.encode())))
    assert any("le même tour figure deux fois." in problem for problem in found)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "XML illisible"),
        (b"<Election><Scrutin>", "XML illisible"),
        (b"<Resultats/>", "ce n’est pas un fichier du ministère"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><Election>&a;</Election>', "il déclare des entités"),
        ((FEED / "maintenance.html").read_bytes(), "c’est une page HTML"),
        (b"<Election></Election>", "aucune <Circonscription>"),
    ],
)
def test_what_is_not_a_results_file_says_so(data, message):
    found = problems(read(Source("R101.xml", data)))
    assert len(found) == 1 and message in found[0], found


MAJORITY_HEADER = ";".join(ministry.MAJORITY_COLUMNS)
LIST_HEADER = ";".join(ministry.LIST_COLUMNS)


def test_the_candidates_csv_gives_birth_dates_and_substitutes_in_latin1():
    row = (
        "08;Ardennes;5;M;LAMÉNIE;Marc;11/08/1956;LDVD;Divers droite;Sénateur;;OUI;"
        "F;DUPRÉ;Hélène;02/03/1970"
    )
    reading = read(Source("candidats.csv", f"{MAJORITY_HEADER}\n{row}\n".encode("latin-1")))
    assert reading.problems == []
    [candidate] = reading.candidates
    assert (candidate.code, candidate.last_name, candidate.birth_date) == (
        "08", "LAMÉNIE", date(1956, 8, 11),
    )  # fmt: skip
    assert candidate.is_outgoing and candidate.substitute_name == "Hélène DUPRÉ"
    assert candidate.substitute_birth_date == date(1970, 3, 2)


def test_a_list_candidates_csv_gives_the_list_and_the_order():
    row = (
        "01;Ain;2;AGIR;Agir ensemble pour l'Ain et ses communes;LDVG;Divers gauche;"
        "BLATRIX CONTAT;2;M;LEGRAND;Jean;01/01/1960;;;"
    )
    [candidate] = read(Source("listes.csv", f"{LIST_HEADER}\n{row}\n".encode())).candidates
    assert (candidate.list_number, candidate.list_short_name, candidate.position) == (2, "AGIR", 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            MAJORITY_HEADER.replace(";Sortant", "") + "\n",
            "ligne 1 : colonnes manquantes : « Sortant ».",
        ),
        (f"{MAJORITY_HEADER}\n08;Ardennes;5\n", "ligne 2 : 3 colonnes au lieu de 16."),
        (
            f"{MAJORITY_HEADER}\n08;Ardennes;5;M;X;Y;31/02/1956;;;;;;;;;\n",
            "date illisible « 31/02/1956 »",
        ),
        (
            f"{MAJORITY_HEADER}\n08;Ardennes;5;M;;Y;;;;;;;;;;\n",
            "ligne 2 : nom du candidat manquant.",
        ),
    ],
)
def test_a_bad_csv_is_refused_at_its_line(text, message):
    found = problems(read(Source("c.csv", text.encode())))
    assert len(found) == 1 and message in found[0], found
