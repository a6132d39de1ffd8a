"""The demo's elections: the Senate as it sat between 2023 and 2026, and its two renewals.

They stand on the reference data (`elections.reference`: constituencies, groups, senators,
from `elections/data/senate`), which the set-up step loads already; the 2026 results
from the Ministry's feed files in `elections/data/ministry-feed` and the list of the 178
elected; the 2023 New Caledonia race from the reference figures, written out below as a
Ministry feed file. Results always go through `import_results`, so the official outcome,
the rules' check and the revisions are those of the real import.

Running it twice changes nothing: rows are found by their natural key and saved only when
a value differs, since every save would move `updated_at`.
"""

import csv
import io
from collections import Counter
from datetime import date
from xml.etree.ElementTree import Element, SubElement, tostring

from django.db import transaction
from django.db.models import Count

from articles.models import Article
from elections.importers import find_races, import_results
from elections.ministry import MAJORITY_COLUMNS, Source, fold
from elections.models import (
    Bloc,
    Candidate,
    Constituency,
    Election,
    Kind,
    Nuance,
    ParliamentaryGroup,
    Race,
    Round,
    SeatAward,
    Senator,
)
from elections.reference import SENATE, load_reference, read_csv, sync
from newsroom.demo.articles import REFERENCE_SLUG

FEED = SENATE.parent / "ministry-feed"
# The feed files of election night; not maintenance.html, the page served before a file is out.
FEED_FILES = ["R101.xml", "R103.xml", "R208.xml", "INDEX1FE.xml", "INDEX2FE.xml"]

ELECTIONS = {
    "senatoriales-2023": {
        "name": "Sénatoriales 2023",
        "kind": Kind.SENATORIALES,
        "year": 2023,
        "series": 1,
        "round1_on": date(2023, 9, 24),
        "round2_on": date(2023, 9, 24),
        "status": Election.Status.FINAL,
        # Our senators are the chamber *after* 2023: no "before" to compare with.
        "baseline_label": "",
    },
    "senatoriales-2026": {
        "name": "Sénatoriales 2026",
        "kind": Kind.SENATORIALES,
        "year": 2026,
        "series": 2,
        "round1_on": date(2026, 9, 27),
        "round2_on": date(2026, 9, 27),
        "status": Election.Status.PROVISIONAL,
        "baseline_label": "le Sénat sortant",
    },
}

# The Ministry's codes met in the 2026 feed files, placed on our left-right scale.
BLOCS_2026 = {
    "COM": Bloc.FAR_LEFT,
    "FI": Bloc.FAR_LEFT,
    "LFI": Bloc.FAR_LEFT,
    "SOC": Bloc.LEFT,
    "DVG": Bloc.LEFT,
    "LDVG": Bloc.LEFT,
    "HOR": Bloc.CENTRE,
    "LUC": Bloc.CENTRE,
    "LR": Bloc.RIGHT,
    "LLR": Bloc.RIGHT,
    "DVD": Bloc.RIGHT,
    "LDVD": Bloc.RIGHT,
    "RN": Bloc.FAR_RIGHT,
    "UDR": Bloc.FAR_RIGHT,
    "REC": Bloc.FAR_RIGHT,
    "LREC": Bloc.FAR_RIGHT,
}

# New Caledonia, 24 September 2023: our own nuance codes, labelled as the reference page does.
NC_CODE = "988"
NC_NUANCES = {
    "RLR-DISS": ("Dissident Rassemblement–Les Républicains", Bloc.RIGHT),
    "UC-FLNKS": ("Union calédonienne – FLNKS (indépendantiste)", Bloc.REGIONALIST),
    "LOY-REN": ("Les Loyalistes – Renaissance", Bloc.CENTRE),
    "RLR": ("Rassemblement–Les Républicains", Bloc.RIGHT),
    "CE": ("Calédonie ensemble", Bloc.CENTRE),
}
# Last name as the Ministry writes it, first name, civility, nuance, outgoing.
NC_CANDIDATES = {
    "naturel": ("NATUREL", "Georges", "M.", "RLR-DISS", False),
    "xowie": ("XOWIE", "Robert", "M.", "UC-FLNKS", False),
    "backes": ("BACKÈS", "Sonia", "Mme", "LOY-REN", False),
    "frogier": ("FROGIER", "Pierre", "M.", "RLR", True),
    "poadja": ("POADJA", "Gérard", "M.", "CE", True),
    # The reference gives neither a label nor a civility for these two: left blank.
    "wenehoua": ("WENEHOUA", "Macate", "", "", False),
    "millar": ("MILLAR", "Manuel", "", "", False),
}
QUALIFIED = "QUALIFIE(E) AU T2"
NC_ROUNDS = [
    {
        "number": 1,
        # The reference gives 578 registered and 561 cast. The split of the 17 others
        # between abstentions, blank and null ballots is ours, chosen so the figures add up.
        "figures": {
            "Inscrits": 578,
            "Abstentions": 8,
            "Votants": 570,
            "Blancs": 6,
            "Nuls": 3,
            "Exprimes": 561,
        },
        "votes": [
            ("naturel", 351, "OUI"),
            ("xowie", 259, QUALIFIED),
            ("backes", 225, QUALIFIED),
            ("frogier", 180, QUALIFIED),
            ("poadja", 48, QUALIFIED),
            ("wenehoua", 6, QUALIFIED),
            ("millar", 2, QUALIFIED),
        ],
    },
    {
        "number": 2,
        # 578 registered and 555 cast per the reference; the rest of the split is ours again.
        "figures": {
            "Inscrits": 578,
            "Abstentions": 7,
            "Votants": 571,
            "Blancs": 10,
            "Nuls": 6,
            "Exprimes": 555,
        },
        # One agency reported 304 for Xowie; most sources, and the reference, say 307.
        "votes": [("xowie", 307, "OUI"), ("backes", 246, "NON"), ("wenehoua", 2, "NON")],
    },
]


def load_elections(*, stdout=None):
    """Load the Senate and the 2023 and 2026 renewals; return what didn't add up."""
    changes = Counter()
    with transaction.atomic():
        # The demo stands on the reference data, which set-up loads already.
        reference_changes, problems = load_reference()
        changes.update(reference_changes)
        constituencies = Constituency.objects.filter(kind=Kind.SENATORIALES)
        election_2023 = sync(
            Election, {"slug": "senatoriales-2023"}, ELECTIONS["senatoriales-2023"], changes
        )
        election_2026 = sync(
            Election, {"slug": "senatoriales-2026"}, ELECTIONS["senatoriales-2026"], changes
        )
        load_races(election_2023, constituencies, changes)
        load_races(election_2026, constituencies, changes)
        nc_race = load_new_caledonia_2023(election_2023, changes, problems)
        load_elected_2023(election_2023, changes)
        load_results_2026(election_2026, changes, problems)
        link_reference_story(election_2023, nc_race)
        if changes["created"] or changes["updated"]:
            # Rows written here went around import_results: renew cached pages by hand.
            election_2023.touch_results()
            election_2026.touch_results()
    if stdout is not None:
        report(stdout, changes, problems)
    return problems


def load_races(election, constituencies, changes):
    for constituency in constituencies:
        if constituency.series == election.series:
            sync(
                Race,
                {"election": election, "constituency": constituency},
                {"seats": constituency.seats, "voting_system": constituency.voting_system},
                changes,
            )


def import_files(election, sources, changes, problems):
    summary = import_results(election=election, sources=sources)
    changes["imported"] += len(summary.changes)
    problems.extend(f"{election} : {warning}" for warning in summary.warnings)


# New Caledonia, 2023


def load_new_caledonia_2023(election, changes, problems):
    for code, (label, bloc) in NC_NUANCES.items():
        # Created before the import, which would give them the default bloc.
        sync(Nuance, {"election": election, "code": code}, {"label": label, "bloc": bloc}, changes)
    sources = [
        # The candidates file says who was outgoing; the round-2 file carries both rounds.
        Source("candidats-988.csv", nc_candidates_csv()),
        Source("R2988.xml", nc_round2_xml()),
        Source("INDEX2FE.xml", nc_index_xml()),
    ]
    import_files(election, sources, changes, problems)
    race = Race.objects.get(election=election, constituency__code=NC_CODE)
    if race.has_discrepancy:
        problems.append(f"{race} : les élus officiels diffèrent de ceux que donnent les règles.")
    # The results are final.
    for round_ in race.rounds.all():
        sync(Round, {"pk": round_.pk}, {"is_final": True}, changes)
    # Their group, as senators.csv lists them: it is the Senate of 2023 to 2026.
    senators = {fold(s.last_name): s for s in race.constituency.senators.all()}
    for award in race.awards.select_related("candidate"):
        senator = senators.get(fold(award.candidate.last_name))
        if senator:
            sync(Candidate, {"pk": award.candidate_id}, {"group_id": senator.group_id}, changes)
    return race


def nc_candidates_csv():
    """The Ministry's candidates CSV for the race (majority system), semicolon-separated."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MAJORITY_COLUMNS, delimiter=";")
    writer.writeheader()
    for last_name, first_name, civility, nuance, is_outgoing in NC_CANDIDATES.values():
        row = dict.fromkeys(MAJORITY_COLUMNS, "")
        row.update(
            {
                "Code circonscription": NC_CODE,
                "Libellé circonscription": "Nouvelle-Calédonie",
                "Sexe du candidat": civility,
                "Nom du candidat": last_name,
                "Prénom du candidat": first_name,
                "Code nuance": nuance,
                "Nuance du candidat": NC_NUANCES[nuance][0] if nuance else "",
                "Sortant": "OUI" if is_outgoing else "",
            }
        )
        writer.writerow(row)
    return buffer.getvalue().encode()


def feed_root(year):
    root = Element("Election")
    scrutin = SubElement(root, "Scrutin")
    text(scrutin, "Type", "Sénatoriales")
    text(scrutin, "Annee", year)
    geo = SubElement(root, "EnsembleGeo")
    text(geo, "CodEnsGeo", "FE")
    text(geo, "LibEnsGeo", "France entière")
    return root, geo


def text(parent, tag, value):
    SubElement(parent, tag).text = str(value)


def nc_round2_xml():
    """The Ministry's round-2 file for the race: both rounds, in the shape of R208.xml."""
    root, geo = feed_root(2023)
    race = SubElement(geo, "Circonscription")
    text(race, "CodCirElec", NC_CODE)
    text(race, "LibCirElec", "Nouvelle-Calédonie")
    text(race, "NbSap", 2)
    text(race, "NbSiePourvus", 2)
    tours = SubElement(race, "Tours")
    for data in NC_ROUNDS:
        tour = SubElement(tours, "Tour")
        text(tour, "NumTour", data["number"])
        mentions = SubElement(tour, "Mentions")
        for tag, number in data["figures"].items():
            text(SubElement(mentions, tag), "Nombre", number)
        candidates = SubElement(SubElement(tour, "Resultats"), "Candidats")
        for key, votes, outcome in data["votes"]:
            last_name, first_name, civility, nuance, _ = NC_CANDIDATES[key]
            candidate = SubElement(candidates, "Candidat")
            text(candidate, "NomPsn", last_name)
            text(candidate, "PrenomPsn", first_name)
            text(candidate, "CivilitePsn", civility)
            if nuance:
                text(candidate, "CodNuaCand", nuance)
                text(candidate, "LibNuaCand", NC_NUANCES[nuance][0])
            text(candidate, "NbVoix", votes)
            text(candidate, "Elu", outcome)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def nc_index_xml():
    """The round-2 index line for the race: results in, seats filled in round 2."""
    root, geo = feed_root(2023)
    entry = SubElement(SubElement(geo, "Circonscriptions"), "Circonscription")
    text(entry, "CodCirElec", NC_CODE)
    text(entry, "LibCirElec", "Nouvelle-Calédonie")
    text(entry, "ResultatsParvenus", "OUI")
    text(entry, "Pourvu", "T2")
    return tostring(root, encoding="utf-8", xml_declaration=True)


# 2026


def load_results_2026(election, changes, problems):
    sources = [Source(name, (FEED / name).read_bytes()) for name in FEED_FILES]
    import_files(election, sources, changes, problems)
    for nuance in election.nuances.filter(code__in=BLOCS_2026):
        sync(Nuance, {"pk": nuance.pk}, {"bloc": BLOCS_2026[nuance.code]}, changes)
    load_elected_2026(election, changes)
    races = election.races.select_related("constituency").annotate(award_count=Count("awards"))
    for race in races:
        sync(Race, {"pk": race.pk}, {"seats_filled": race.award_count}, changes)
        if race.award_count != race.seats:
            problems.append(f"{race} : {race.award_count} élu(s) pour {race.seats} siège(s).")


def load_elected_2026(election, changes):
    """The 178 elected: the feed's own candidates when it has them, otherwise new ones.

    Most races have no figures in the demo: their elected get a seat with neither round nor
    rule, which the model allows for an outcome known without its tallies.
    """
    races = find_races(election)
    sitting = sitting_senators()
    candidates = {}  # (race, folded first name, folded last name) -> candidate
    for candidate in Candidate.objects.filter(race__election=election):
        key = (candidate.race_id, fold(candidate.first_name), fold(candidate.last_name))
        candidates[key] = candidate
    awarded = set(
        SeatAward.objects.filter(race__election=election).values_list("candidate_id", flat=True)
    )
    for row in read_csv("elected_2026.csv"):
        race = races[row["circonscription_code"]]
        key = (race.pk, fold(row["prenom"]), fold(row["nom"]))
        candidate = candidates.get(key)
        if candidate is None:
            candidate = Candidate.objects.create(
                race=race,
                first_name=row["prenom"],
                last_name=row["nom"],
                sex=Candidate.Sex.FEMALE if row["civilite"] == "Mme" else Candidate.Sex.MALE,
                label=row["liste_source"],
            )
            candidates[key] = candidate
            changes["created"] += 1
        if candidate.pk not in awarded:
            SeatAward.objects.create(race=race, candidate=candidate)
            awarded.add(candidate.pk)
            changes["created"] += 1
        # A senator re-elected in the seat they held is outgoing and keeps their group;
        # the group of a newcomer is not known until the groups form in October.
        senator = sitting.get((race.constituency_id, fold(row["prenom"]), fold(row["nom"])))
        if senator is not None:
            fields = {"group": senator.group, "is_outgoing": True}
        else:
            fields = {"is_outgoing": False}
        sync(Candidate, {"pk": candidate.pk}, fields, changes)


def sitting_senators():
    """Senators by constituency and folded name, to recognise them among the elected."""
    return {
        (senator.constituency_id, fold(senator.first_name), fold(senator.last_name)): senator
        for senator in Senator.objects.select_related("group")
    }


def load_elected_2023(election, changes):
    """The 2023 elected of the races without figures: the senators who hold those seats.

    Our senators list is the chamber between the 2023 and 2026 renewals, so its series-1
    members are the 2023 elected, bar the few replaced since (deaths, resignations).
    """
    awarded = set(
        SeatAward.objects.filter(race__election=election).values_list("race_id", flat=True)
    )
    senators = Senator.objects.select_related("group").order_by("last_name", "first_name")
    by_constituency = {}
    for senator in senators:
        by_constituency.setdefault(senator.constituency_id, []).append(senator)
    for race in election.races.all():
        if race.pk in awarded:
            continue  # its results came from the Ministry's files (New Caledonia)
        for senator in by_constituency.get(race.constituency_id, []):
            candidate = Candidate.objects.create(
                race=race,
                first_name=senator.first_name,
                last_name=senator.last_name,
                group=senator.group,
            )
            SeatAward.objects.create(race=race, candidate=candidate)
            changes["created"] += 2


def link_reference_story(election, race):
    """The reference story links to the race it reports; skipped until the article exists."""
    article = Article.objects.filter(slug=REFERENCE_SLUG).first()
    if article is not None:
        # add() leaves existing links alone and doesn't save the article.
        article.elections.add(election)
        article.races.add(race)


def report(stdout, changes, problems):
    constituencies = Constituency.objects.filter(kind=Kind.SENATORIALES)
    stdout.write(
        f"Élections : {constituencies.count()} circonscriptions sénatoriales, "
        f"{Senator.objects.count()} sénateurs, "
        f"{ParliamentaryGroup.objects.filter(chamber='senat').count()} groupes, "
        f"{Race.objects.filter(election__kind=Kind.SENATORIALES).count()} scrutins, "
        f"{SeatAward.objects.count()} élus.\n"
        f"Créations : {changes['created']}, mises à jour : {changes['updated']}, "
        f"scrutins modifiés par l’import : {changes['imported']}.\n"
    )
    for problem in problems:
        stdout.write(f"À vérifier : {problem}\n")
