import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections import rules
from elections.importers import ImportRefused, import_results
from elections.ministry import Source
from elections.models import Candidate, Race, Revision, Round, SeatAward, Tally
from tests.helpers import feed_source, make_senate_election

pytestmark = pytest.mark.django_db

MODELS = [Round, Tally, Candidate, SeatAward, Revision]


@pytest.fixture
def election():
    return make_senate_election()


def race(election, code):
    return Race.objects.get(election=election, constituency__code=code)


def elected(race_):
    return {
        (award.candidate.last_name, award.round_number, award.rule)
        for award in race_.awards.select_related("candidate")
    }


def counts():
    return [model.objects.count() for model in MODELS]


def test_ain_seats_go_by_highest_average_to_candidates_in_list_order(election):
    import_results(election=election, sources=[feed_source("R101.xml")])
    ain = race(election, "01")
    seats = {
        t.candidate_list.number: t.official_seats for t in Tally.objects.filter(round__race=ain)
    }
    assert sum(seats.values()) == 3
    # Quotient 1917 / 3 = 639: "L'Ain au coeur" (738) wins one seat by it, the other two
    # go to the highest averages, 471 and 419.
    assert elected(ain) == {
        ("BAUDE", 1, "quotient"),
        ("BLATRIX CONTAT", 1, "highest_average"),
        ("GOY-CHAVENT", 1, "highest_average"),
    }
    # Each list's seat goes to its first candidate.
    for award in ain.awards.select_related("candidate"):
        assert award.candidate.list_position == 1
    assert not ain.has_discrepancy
    assert ain.seats_filled == 3


def test_allier_elects_both_in_round_one_though_votes_exceed_those_cast(election):
    summary = import_results(election=election, sources=[feed_source("R103.xml")])
    allier = race(election, "03")
    assert elected(allier) == {
        ("MALHURET", 1, "round1_majority"),
        ("ROJOUAN", 1, "round1_majority"),
    }
    first = allier.rounds.get(number=1)
    assert sum(first.tallies.values_list("votes", flat=True)) > first.cast
    assert any("dépassent" in warning for warning in summary.warnings) is False
    assert not allier.has_discrepancy


def test_ardennes_elects_one_in_each_round(election):
    import_results(election=election, sources=[feed_source("R208.xml")])
    ardennes = race(election, "08")
    assert elected(ardennes) == {
        ("JOSEPH", 1, "round1_majority"),
        ("LAMÉNIE", 2, "round2_plurality"),
    }
    outcomes = dict(
        Tally.objects.filter(round__race=ardennes, round__number=1).values_list(
            "candidate__last_name", "official_outcome"
        )
    )
    assert outcomes["JOSEPH"] == Tally.Outcome.ELECTED
    assert outcomes["LAMÉNIE"] == outcomes["VILLENET"] == Tally.Outcome.QUALIFIED
    assert ardennes.rounds.count() == 2


def test_the_indexes_give_each_race_its_state_and_update_time(election):
    import_results(
        election=election,
        sources=[feed_source(name) for name in ["R208.xml", "INDEX1FE.xml", "INDEX2FE.xml"]],
    )
    ardennes = race(election, "08")
    assert ardennes.reported_status == Race.ReportedStatus.FILLED_ROUND2
    assert ardennes.source_updated_at.strftime("%H:%M:%S") == "16:29:56"  # 18:29:56 Paris
    assert race(election, "01").reported_status == Race.ReportedStatus.FILLED_ROUND1
    assert race(election, "06").reported_status == Race.ReportedStatus.AWAITING


def test_an_older_index_never_rolls_a_race_back(election):
    import_results(election=election, sources=[feed_source("INDEX2FE.xml")])
    summary = import_results(election=election, sources=[feed_source("INDEX1FE.xml")])
    guyane = race(election, "973")  # its round-2 line has no time to compare
    assert guyane.reported_round == 2
    assert guyane not in summary.changes


def test_the_maintenance_page_is_refused_with_a_clear_message(election):
    with pytest.raises(ImportRefused) as refused:
        import_results(election=election, sources=[feed_source("maintenance.html")])
    assert "page HTML" in str(refused.value)
    assert counts() == [0] * len(MODELS)


def test_importing_the_same_files_twice_changes_nothing(election):
    names = ["R101.xml", "R103.xml", "R208.xml", "INDEX1FE.xml", "INDEX2FE.xml"]
    sources = [feed_source(name) for name in names]
    import_results(election=election, sources=sources)
    before = counts()
    summary = import_results(election=election, sources=sources)
    assert not summary.changed
    assert counts() == before


def test_a_dry_run_writes_nothing(election):
    summary = import_results(election=election, sources=[feed_source("R101.xml")], dry_run=True)
    assert summary.changed
    assert counts() == [0] * len(MODELS)


def edited(name, *replacements):
    """A feed file with each (old, new) replaced once, as a corrupted or corrected file would be."""
    text = (feed_source(name).data).decode()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return Source(name, text.encode())


def refused_problems(election, *sources):
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        import_results(election=election, sources=list(sources))
    assert counts() == before, "a refused import wrote something"
    return [str(problem) for problem in refused.value.problems]


def test_a_negative_vote_count_is_refused_with_its_place(election):
    problems = refused_problems(
        election, edited("R103.xml", ("<NbVoix>636</NbVoix>", "<NbVoix>-636</NbVoix>"))
    )
    assert problems == [
        "R103.xml, Circonscription 03 (Allier) > Tour 1 > Candidat Claude MALHURET > NbVoix : "
        "« -636 » n’est pas un nombre entier positif."
    ]


def test_a_non_numeric_count_is_refused(election):
    problems = refused_problems(
        election, edited("R103.xml", ("<NbVoix>636</NbVoix>", "<NbVoix>six cents</NbVoix>"))
    )
    assert "« six cents » n’est pas un nombre entier positif" in problems[0]


def test_cast_must_be_voters_minus_blank_and_null(election):
    text = feed_source("R103.xml").data.decode()
    cast = re.search(r"<Exprimes>\s*<Nombre>(\d+)</Nombre>", text).group(1)
    source = edited(
        "R103.xml",
        (
            f"<Exprimes>\n                <Nombre>{cast}",
            f"<Exprimes>\n                <Nombre>{int(cast) + 1}",
        ),
    )
    problems = refused_problems(election, source)
    assert len(problems) == 1
    assert "Tour 1 : exprimés" in problems[0] and "≠ votants" in problems[0]


def test_an_unknown_constituency_is_refused(election):
    problems = refused_problems(
        election,
        edited("R103.xml", ("<CodCirElec>03</CodCirElec>", "<CodCirElec>999</CodCirElec>")),
    )
    assert problems == [
        "R103.xml, Circonscription 999 (Allier) : circonscription « 999 » inconnue pour "
        "Sénatoriales 2026."
    ]


def test_a_constituency_of_the_other_series_is_refused(election):
    # Nouvelle-Calédonie (988) votes in series 1, not in 2026.
    problems = refused_problems(
        election,
        edited("R103.xml", ("<CodCirElec>03</CodCirElec>", "<CodCirElec>988</CodCirElec>")),
    )
    assert "inconnue" in problems[0]


def test_a_truncated_file_is_refused_with_its_line(election):
    data = feed_source("R101.xml").data
    problems = refused_problems(election, Source("R101.xml", data[: len(data) // 2]))
    assert len(problems) == 1
    assert re.match(r"R101\.xml, ligne \d+, colonne \d+ : XML illisible", problems[0])


def test_one_bad_file_refuses_the_whole_batch(election):
    problems = refused_problems(election, feed_source("R101.xml"), feed_source("maintenance.html"))
    assert len(problems) == 1 and problems[0].startswith("maintenance.html")


def test_a_round_two_for_a_race_filled_in_round_one_is_refused(election):
    import_results(election=election, sources=[feed_source("R103.xml")])
    text = feed_source("R208.xml").data.decode()
    round2_only = re.sub(r"<Tour>\s*<NumTour>1</NumTour>.*?</Tour>", "", text, count=1, flags=re.S)
    round2_only = round2_only.replace("<CodCirElec>08</CodCirElec>", "<CodCirElec>03</CodCirElec>")
    round2_only = round2_only.replace(
        "<LibCirElec>Ardennes</LibCirElec>", "<LibCirElec>Allier</LibCirElec>"
    )
    problems = refused_problems(election, Source("R203.xml", round2_only.encode()))
    assert any(
        "second tour alors que les 2 siège(s) ont été pourvus au premier" in p for p in problems
    )


def test_a_round_two_in_a_list_constituency_is_refused(election):
    problems = refused_problems(
        election, edited("R101.xml", ("<NumTour>1</NumTour>", "<NumTour>2</NumTour>"))
    )
    assert any("pas de second tour à la proportionnelle" in p for p in problems)


def test_list_votes_must_add_up_to_the_votes_cast(election):
    problems = refused_problems(
        election, edited("R101.xml", ("<NbVoix>84</NbVoix>", "<NbVoix>85</NbVoix>"))
    )
    assert any("les voix des listes (1918) ≠ exprimés (1917)" in p for p in problems)


MAJORITY_HEADER = (
    "Code circonscription;Libellé circonscription;N° dépôt;Sexe du candidat;Nom du candidat;"
    "Prénom du candidat;Date de naissance du candidat;Code nuance;Nuance du candidat;Profession;"
    "Code personnalité;Sortant;Sexe remplaçant;Nom remplaçant;Prénom remplaçant;"
    "Date de naissance remplaçant"
)


def test_the_candidates_csv_gives_birth_dates_and_substitutes_even_in_latin1(election):
    import_results(election=election, sources=[feed_source("R208.xml")])
    row = (
        "08;Ardennes;5;M;LAMÉNIE;Marc;11/08/1956;LDVD;Divers droite;Sénateur;;OUI;"
        "F;DUPRÉ;Hélène;02/03/1970"
    )
    csv_bytes = f"{MAJORITY_HEADER}\n{row}\n".encode("latin-1")
    import_results(election=election, sources=[Source("candidats.csv", csv_bytes)])
    candidate = Candidate.objects.get(last_name="LAMÉNIE")
    assert candidate.birth_date.isoformat() == "1956-08-11"
    assert candidate.is_outgoing
    assert candidate.substitute_name == "Hélène DUPRÉ"
    assert Candidate.objects.filter(last_name="LAMÉNIE").count() == 1


def test_a_csv_with_missing_columns_is_refused_naming_them(election):
    header = MAJORITY_HEADER.replace(";Date de naissance du candidat", "")
    problems = refused_problems(election, Source("candidats.csv", f"{header}\n".encode()))
    assert problems == [
        "candidats.csv, ligne 1 : colonnes manquantes : « Date de naissance du candidat »."
    ]


def test_a_csv_with_a_bad_date_is_refused_with_its_line(election):
    row = "08;Ardennes;5;M;LAMÉNIE;Marc;31/02/1956;LDVD;Divers droite;;;OUI;;;;"
    problems = refused_problems(election, Source("c.csv", f"{MAJORITY_HEADER}\n{row}\n".encode()))
    assert problems == ["c.csv, ligne 2 : date illisible « 31/02/1956 » (JJ/MM/AAAA attendu)."]


def test_an_election_night_replays_with_a_revision_for_each_change(election):
    text = feed_source("R208.xml").data.decode()
    round1_only = re.sub(r"<Tour>\s*<NumTour>2</NumTour>.*?</Tour>", "", text, count=1, flags=re.S)
    round1_only = round1_only.replace("<NbSiePourvus>2<", "<NbSiePourvus>1<")
    import_results(election=election, sources=[Source("R108.xml", round1_only.encode())])
    ardennes = race(election, "08")
    assert elected(ardennes) == {("JOSEPH", 1, "round1_majority")}
    assert ardennes.seats_filled == 1

    import_results(election=election, sources=[feed_source("R208.xml")])
    assert elected(ardennes) == {
        ("JOSEPH", 1, "round1_majority"),
        ("LAMÉNIE", 2, "round2_plurality"),
    }

    revisions = list(ardennes.revisions.order_by("pk"))
    assert [r.source_name for r in revisions] == ["R108.xml", "R208.xml"]
    assert ["Tour 2", "—", "ajouté"] in revisions[1].changes
    assert ["Élu Marc LAMÉNIE", "—", "élu au tour 2"] in revisions[1].changes
    # The round-2 file carries round 1 again, unchanged: no change recorded for it.
    assert not any(what.startswith("Tour 1") for what, _, _ in revisions[1].changes)

    corrected = edited("R208.xml", ("<NbVoix>466</NbVoix>", "<NbVoix>467</NbVoix>"))
    import_results(election=election, sources=[corrected])
    latest = ardennes.revisions.order_by("pk").last()
    assert latest.changes == [["Tour 2, Marc LAMÉNIE, voix", "466", "467"]]
    assert ardennes.revisions.count() == 3
    assert (
        Tally.objects.get(
            round__race=ardennes, round__number=2, candidate__last_name="LAMÉNIE"
        ).votes
        == 467
    )


def test_a_corrected_file_records_what_changed(election):
    import_results(election=election, sources=[feed_source("R103.xml")])
    import_results(
        election=election,
        sources=[
            edited(
                "R103.xml",
                ("<NbVoix>33</NbVoix>", "<NbVoix>34</NbVoix>"),
                ("<NbVoix>14</NbVoix>", "<NbVoix>13</NbVoix>"),
            )
        ],
    )
    revision = race(election, "03").revisions.first()
    assert revision.source_name == "R103.xml"
    assert sorted(revision.changes) == [
        ["Tour 1, Franck PICARD, voix", "14", "13"],
        ["Tour 1, Hussein BONAUD, voix", "33", "34"],
    ]


def test_the_command_imports_a_folder_and_reports(election, tmp_path, capsys):
    for name in ["R101.xml", "R103.xml"]:
        (tmp_path / name).write_bytes(feed_source(name).data)
    call_command("import_results", election.slug, str(tmp_path))
    output = capsys.readouterr().out
    assert "2 fichier(s) lu(s), 2 circonscription(s) concernée(s)." in output
    assert SeatAward.objects.count() == 5


def test_the_command_fails_on_bad_input_and_names_every_problem(election, tmp_path, capsys):
    (tmp_path / "R103.xml").write_text(
        feed_source("R103.xml").data.decode().replace("<NbVoix>636</NbVoix>", "<NbVoix>x</NbVoix>")
    )
    (tmp_path / "maintenance.html").write_bytes(feed_source("maintenance.html").data)
    with pytest.raises(CommandError, match="2 problème"):
        call_command("import_results", election.slug, str(tmp_path))
    errors = capsys.readouterr().err
    assert (
        "R103.xml, Circonscription 03 (Allier) > Tour 1 > Candidat Claude MALHURET > NbVoix"
        in errors
    )
    assert "maintenance.html : c’est une page HTML" in errors
    assert counts() == [0] * len(MODELS)


def test_the_command_refuses_an_unknown_election(db):
    with pytest.raises(CommandError, match="Aucune élection « nulle-part »"):
        call_command("import_results", "nulle-part", "R101.xml")


def test_every_rule_the_functions_apply_can_be_stored():
    assert {rule.value for rule in rules.Rule} == set(SeatAward.Rule.values)


FEED_FILES = ["R101.xml", "R103.xml", "R208.xml", "INDEX1FE.xml", "INDEX2FE.xml"]


def with_more_candidates(source, count):
    """R101.xml with `count` more candidates at the end of every list."""
    text = source.data.decode()
    extra = "".join(
        f"<Candidat><NumOrdCand>{position}</NumOrdCand><NomPsn>AJOUT {position}</NomPsn>"
        f"<PrenomPsn>Camille</PrenomPsn><CivilitePsn>Mme</CivilitePsn><Elu>NON</Elu></Candidat>"
        for position in range(6, 6 + count)
    )
    return Source(source.name, text.replace("</Candidats>", f"{extra}</Candidats>").encode())


def test_the_five_feed_files_import_in_a_fixed_number_of_queries(
    election, django_assert_num_queries
):
    sources = [feed_source(name) for name in FEED_FILES]
    # races; savepoint; what is stored of them: nuances, lists, candidates, rounds, tallies,
    # awards; the new nuances, lists, candidates, rounds, tallies and awards; the races the
    # indexes change; revisions; the results version; savepoint released
    with django_assert_num_queries(18):
        import_results(election=election, sources=sources)
    assert SeatAward.objects.count() == 7
    # Again: the same reading, nothing to write.
    with django_assert_num_queries(9):
        summary = import_results(election=election, sources=sources)
    assert not summary.changed


def test_the_import_costs_the_same_whatever_the_number_of_candidates(
    election, django_assert_num_queries
):
    other = make_senate_election(slug="senatoriales-2026-bis", name="Sénatoriales (copie)")
    with CaptureQueriesContext(connection) as few:
        import_results(election=election, sources=[feed_source("R101.xml")])
    with CaptureQueriesContext(connection) as many:
        import_results(election=other, sources=[with_more_candidates(feed_source("R101.xml"), 20)])
    assert Candidate.objects.filter(race__election=other).count() == (
        Candidate.objects.filter(race__election=election).count() + 7 * 20
    )
    assert len(many) == len(few)
