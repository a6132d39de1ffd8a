"""Official results into the database: the Ministry's XML feed and its candidates CSV.

`import_results(election=…, sources=…)` reads every file first and refuses the whole batch,
naming each problem with its file and line or element, before it writes anything; then it
writes everything in one transaction. Importing the same files again changes nothing; an
import that changes figures records a Revision per race.
"""

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.db import transaction
from django.utils import timezone

from elections import rules
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

OUTCOMES = {
    "OUI": Tally.Outcome.ELECTED,
    "NON": Tally.Outcome.NOT_ELECTED,
    "QUALIFIE(E) AU T2": Tally.Outcome.QUALIFIED,
}
SEXES = {"M.": "M", "M": "M", "MME": "F", "F": "F"}
MENTIONS = {
    "registered": "Inscrits",
    "abstentions": "Abstentions",
    "voters": "Votants",
    "blank": "Blancs",
    "null": "Nuls",
    "cast": "Exprimes",
}
MAJORITY_COLUMNS = [
    "Code circonscription", "Libellé circonscription", "N° dépôt", "Sexe du candidat",
    "Nom du candidat", "Prénom du candidat", "Date de naissance du candidat", "Code nuance",
    "Nuance du candidat", "Profession", "Code personnalité", "Sortant", "Sexe remplaçant",
    "Nom remplaçant", "Prénom remplaçant", "Date de naissance remplaçant",
]  # fmt: skip
LIST_COLUMNS = [
    "Code circonscription", "Circonscription", "N° dépôt", "Libellé abrégé de liste",
    "Libellé de la liste", "Code nuance de liste", "Nuance de liste", "Tête de liste", "Ordre",
    "Sexe", "Nom sur le bulletin de vote", "Prénom sur le bulletin de vote", "Date de naissance",
    "Profession", "Code personnalité", "Sortant",
]  # fmt: skip


@dataclass(frozen=True)
class Source:
    name: str
    data: bytes


@dataclass(frozen=True)
class Problem:
    source: str
    where: str
    message: str

    def __str__(self):
        return (
            f"{self.source}, {self.where} : {self.message}"
            if self.where
            else (f"{self.source} : {self.message}")
        )


class ImportRefused(Exception):
    """The batch was refused; nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# What the files say, before anything touches the database.


@dataclass
class FeedCandidate:
    last_name: str
    first_name: str
    sex: str
    votes: int | None = None
    outcome: str = ""
    nuance_code: str = ""
    nuance_label: str = ""
    position: int | None = None


@dataclass
class FeedList:
    number: int
    name: str
    head_last_name: str
    head_first_name: str
    nuance_code: str
    nuance_label: str
    votes: int
    seats: int | None
    candidates: list[FeedCandidate]


@dataclass
class FeedRound:
    number: int
    figures: dict[str, int]
    candidates: list[FeedCandidate] = field(default_factory=list)
    lists: list[FeedList] = field(default_factory=list)


@dataclass
class FeedRace:
    source: str
    where: str
    code: str
    seats: int
    seats_filled: int
    rounds: list[FeedRound]


@dataclass
class IndexEntry:
    source: str
    round_number: int
    code: str
    received: bool | None
    filled: str
    updated_at: datetime | None


@dataclass
class CsvCandidate:
    source: str
    line: int
    code: str
    list_number: int | None
    list_name: str
    list_short_name: str
    position: int | None
    last_name: str
    first_name: str
    sex: str
    birth_date: date | None
    nuance_code: str
    nuance_label: str
    is_outgoing: bool
    substitute_name: str = ""
    substitute_sex: str = ""
    substitute_birth_date: date | None = None


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


def display(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S")
    return str(value)


class Reader:
    """Collects problems while reading one file, so all of them are reported at once."""

    def __init__(self, source):
        self.source = source
        self.problems = []

    def problem(self, where, message):
        self.problems.append(Problem(self.source.name, where, message))

    def number(self, text, where, *, required=True):
        raw = (text or "").strip()
        digits = raw.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if not digits:
            if required:
                self.problem(where, "nombre manquant.")
            return None
        if not digits.isdigit():
            self.problem(where, f"« {raw} » n’est pas un nombre entier positif.")
            return None
        return int(digits)


# The XML feed


def child_text(element, tag):
    found = element.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def parse_xml(source, reader):
    data = source.data.lstrip()
    head = data[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        reader.problem(
            "",
            "c’est une page HTML, pas un fichier de résultats : le ministère sert cette page "
            "tant que le fichier n’est pas publié. Réessayez plus tard.",
        )
        return None
    try:
        root = fromstring(data)
    except ParseError as error:
        line, column = error.position
        reader.problem(
            f"ligne {line}, colonne {column}",
            "XML illisible (fichier tronqué ou mal formé).",
        )
        return None
    except DefusedXmlException:
        reader.problem("", "XML refusé : il déclare des entités, ce que le ministère ne fait pas.")
        return None
    if root.tag != "Election":
        reader.problem(
            f"<{root.tag}>", "ce n’est pas un fichier du ministère (<Election> attendu)."
        )
        return None
    return root


def read_feed(source, election):
    """A round file or an index, as FeedRace or IndexEntry objects."""
    reader = Reader(source)
    root = parse_xml(source, reader)
    if root is None:
        return [], reader.problems
    year = child_text(root, "Scrutin/Annee")
    kind = child_text(root, "Scrutin/Type")
    if year and year != str(election.year):
        reader.problem("Scrutin/Annee", f"fichier de {year}, l’élection est de {election.year}.")
    if kind and election.get_kind_display().lower() != kind.lower():
        reader.problem("Scrutin/Type", f"fichier « {kind} », l’élection est « {election}».")
    constituencies = root.findall(".//Circonscription")
    if not constituencies:
        reader.problem("EnsembleGeo", "aucune <Circonscription> dans ce fichier.")
    is_index = root.find(".//Circonscriptions") is not None
    if is_index:
        round_number = 2 if "2" in Path(source.name).stem.upper().removeprefix("INDEX")[:1] else 1
        items = [read_index_entry(element, reader, round_number) for element in constituencies]
    else:
        items = [read_race(element, reader) for element in constituencies]
    return [item for item in items if item], reader.problems


def read_index_entry(element, reader, round_number):
    code = child_text(element, "CodCirElec")
    updated_at = None
    day, time = child_text(element, "DateDerMaj"), child_text(element, "HeureDerMaj")
    if day and time:
        try:
            updated_at = timezone.make_aware(
                datetime.strptime(f"{day} {time}", "%d/%m/%Y %H:%M:%S")
            )
        except ValueError:
            reader.problem(f"Circonscription {code}", f"date illisible « {day} {time} ».")
    received = child_text(element, "ResultatsParvenus")
    return IndexEntry(
        source=reader.source.name,
        round_number=round_number,
        code=code,
        received={"OUI": True, "NON": False}.get(received),
        filled=child_text(element, "Pourvu"),
        updated_at=updated_at,
    )


def read_race(element, reader):
    code = child_text(element, "CodCirElec")
    where = f"Circonscription {code or '?'} ({child_text(element, 'LibCirElec')})"
    if not code:
        reader.problem(where, "code de circonscription (CodCirElec) manquant.")
    seats = reader.number(child_text(element, "NbSap"), f"{where} > NbSap")
    filled = reader.number(child_text(element, "NbSiePourvus"), f"{where} > NbSiePourvus")
    rounds = []
    for tour in element.findall("Tours/Tour"):
        number = reader.number(child_text(tour, "NumTour"), f"{where} > Tour > NumTour")
        tour_where = f"{where} > Tour {number}"
        if number not in (1, 2):
            reader.problem(tour_where, "le numéro de tour doit être 1 ou 2.")
            continue
        figures = {
            name: reader.number(child_text(tour, f"Mentions/{tag}/Nombre"), f"{tour_where} > {tag}")
            for name, tag in MENTIONS.items()
        }
        round_ = FeedRound(number=number, figures=figures)
        for candidate in tour.findall("Resultats/Candidats/Candidat"):
            round_.candidates.append(read_candidate(candidate, reader, tour_where, with_votes=True))
        for liste in tour.findall("Resultats/Listes/Liste"):
            round_.lists.append(read_list(liste, reader, tour_where))
        rounds.append(round_)
    if not rounds:
        reader.problem(where, "aucun tour (<Tours><Tour>) dans cette circonscription.")
    return FeedRace(reader.source.name, where, code, seats or 0, filled or 0, rounds)


def read_candidate(element, reader, where, *, with_votes):
    last_name, first_name = child_text(element, "NomPsn"), child_text(element, "PrenomPsn")
    where = f"{where} > Candidat {first_name} {last_name}".rstrip()
    if not last_name:
        reader.problem(where, "nom (NomPsn) manquant.")
    elu = child_text(element, "Elu").upper()
    if elu and elu not in OUTCOMES:
        reader.problem(
            f"{where} > Elu", f"valeur inconnue « {elu} » (OUI, NON ou QUALIFIE(E) AU T2)."
        )
    position = child_text(element, "NumOrdCand")
    return FeedCandidate(
        last_name=last_name,
        first_name=first_name,
        sex=SEXES.get(child_text(element, "CivilitePsn").upper(), ""),
        votes=reader.number(child_text(element, "NbVoix"), f"{where} > NbVoix")
        if with_votes
        else None,
        outcome=OUTCOMES.get(elu, ""),
        nuance_code=child_text(element, "CodNuaCand"),
        nuance_label=child_text(element, "LibNuaCand"),
        position=reader.number(position, f"{where} > NumOrdCand") if position else None,
    )


def read_list(element, reader, where):
    number = reader.number(child_text(element, "NumListe"), f"{where} > Liste > NumListe")
    where = f"{where} > Liste {number} ({child_text(element, 'NomListe')})"
    seats = child_text(element, "NbSieges")
    return FeedList(
        number=number or 0,
        name=child_text(element, "NomListe") or child_text(element, "NomCompListe"),
        head_last_name=child_text(element, "NomTeteListe"),
        head_first_name=child_text(element, "PrenomTeteListe"),
        nuance_code=child_text(element, "CodNuaListe"),
        nuance_label=child_text(element, "LibNuaListe"),
        votes=reader.number(child_text(element, "NbVoix"), f"{where} > NbVoix") or 0,
        seats=reader.number(seats, f"{where} > NbSieges") if seats else None,
        candidates=[
            read_candidate(candidate, reader, where, with_votes=False)
            for candidate in element.findall("Candidats/Candidat")
        ],
    )


# The candidates CSV


def decode_csv(data):
    """UTF-8 when it is, else Windows-1252/Latin-1, as the Ministry has published both."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_date(text, reader, where):
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    reader.problem(where, f"date illisible « {text} » (JJ/MM/AAAA attendu).")
    return None


def read_candidates_csv(source):
    reader = Reader(source)
    text = decode_csv(source.data)
    rows = csv.reader(io.StringIO(text), delimiter=";")
    header = [column.strip() for column in next(rows, [])]
    is_list_file = "Ordre" in header or "Libellé de la liste" in header
    expected = LIST_COLUMNS if is_list_file else MAJORITY_COLUMNS
    missing = [column for column in expected if column not in header]
    if missing:
        reader.problem(
            "ligne 1",
            "colonnes manquantes : " + ", ".join(f"« {column} »" for column in missing) + ".",
        )
        return [], reader.problems
    candidates = []
    for line, values in enumerate(rows, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            reader.problem(f"ligne {line}", f"{len(values)} colonnes au lieu de {len(header)}.")
            continue
        row = {column: value.strip() for column, value in zip(header, values, strict=True)}
        where = f"ligne {line}"
        if is_list_file:
            candidate = CsvCandidate(
                source=source.name,
                line=line,
                code=row["Code circonscription"],
                list_number=reader.number(row["N° dépôt"], f"{where}, « N° dépôt »"),
                list_name=row["Libellé de la liste"],
                list_short_name=row["Libellé abrégé de liste"],
                position=reader.number(row["Ordre"], f"{where}, « Ordre »"),
                last_name=row["Nom sur le bulletin de vote"],
                first_name=row["Prénom sur le bulletin de vote"],
                sex=SEXES.get(row["Sexe"].upper(), ""),
                birth_date=parse_date(row["Date de naissance"], reader, f"{where}"),
                nuance_code=row["Code nuance de liste"],
                nuance_label=row["Nuance de liste"],
                is_outgoing=row["Sortant"].upper() in ("OUI", "O", "SORTANT", "1"),
            )
        else:
            candidate = CsvCandidate(
                source=source.name,
                line=line,
                code=row["Code circonscription"],
                list_number=None,
                list_name="",
                list_short_name="",
                position=None,
                last_name=row["Nom du candidat"],
                first_name=row["Prénom du candidat"],
                sex=SEXES.get(row["Sexe du candidat"].upper(), ""),
                birth_date=parse_date(row["Date de naissance du candidat"], reader, where),
                nuance_code=row["Code nuance"],
                nuance_label=row["Nuance du candidat"],
                is_outgoing=row["Sortant"].upper() in ("OUI", "O", "SORTANT", "1"),
                substitute_name=f"{row['Prénom remplaçant']} {row['Nom remplaçant']}".strip(),
                substitute_sex=SEXES.get(row["Sexe remplaçant"].upper(), ""),
                substitute_birth_date=parse_date(
                    row["Date de naissance remplaçant"], reader, where
                ),
            )
        if not candidate.last_name:
            reader.problem(where, "nom du candidat manquant.")
        candidates.append(candidate)
    return candidates, reader.problems


# Checks on what was read


def check_race(feed, race, problems, warnings):
    """The arithmetic that blocks an import, and the oddities that only warn."""

    def problem(where, message):
        problems.append(Problem(feed.source, where, message))

    if feed.seats and feed.seats != race.seats:
        problem(f"{feed.where} > NbSap", f"{feed.seats} sièges, {race.seats} attendus.")
    numbers = {round_.number for round_ in feed.rounds}
    if len(numbers) != len(feed.rounds):
        problem(feed.where, "le même tour figure deux fois.")
    for round_ in feed.rounds:
        where = f"{feed.where} > Tour {round_.number}"
        f = round_.figures
        if None in f.values():
            continue  # already reported as unreadable
        if f["voters"] != f["registered"] - f["abstentions"]:
            problem(
                where,
                f"votants ({f['voters']}) ≠ inscrits ({f['registered']}) − abstentions "
                f"({f['abstentions']}).",
            )
        if f["cast"] != f["voters"] - f["blank"] - f["null"]:
            problem(
                where,
                f"exprimés ({f['cast']}) ≠ votants ({f['voters']}) − blancs ({f['blank']}) "
                f"− nuls ({f['null']}).",
            )
        if race.is_proportional:
            if round_.number == 2:
                problem(where, "pas de second tour à la proportionnelle.")
            if round_.candidates:
                problem(where, "candidats isolés dans une circonscription à la proportionnelle.")
            total = sum(liste.votes for liste in round_.lists)
            if round_.lists and total != f["cast"]:
                problem(where, f"les voix des listes ({total}) ≠ exprimés ({f['cast']}).")
            seats = [liste.seats for liste in round_.lists if liste.seats is not None]
            if seats and sum(seats) not in (0, race.seats):
                problem(where, f"les sièges des listes ({sum(seats)}) ≠ sièges ({race.seats}).")
        else:
            if round_.lists:
                problem(where, "des listes dans une circonscription au scrutin majoritaire.")
            total = sum(candidate.votes or 0 for candidate in round_.candidates)
            if total > f["cast"] * race.seats:
                warnings.append(
                    f"{feed.source}, {where} : les voix des candidats ({total}) dépassent "
                    f"exprimés × sièges ({f['cast']} × {race.seats})."
                )
    flagged = sum(
        1
        for round_ in feed.rounds
        for candidate in [*round_.candidates, *(c for li in round_.lists for c in li.candidates)]
        if candidate.outcome == Tally.Outcome.ELECTED
    )
    if flagged != feed.seats_filled:
        warnings.append(
            f"{feed.source}, {feed.where} : {feed.seats_filled} siège(s) pourvu(s) annoncé(s) "
            f"(NbSiePourvus), {flagged} candidat(s) marqué(s) élu(s)."
        )
    first = next((r for r in feed.rounds if r.number == 1), None)
    if first and any(r.number == 2 for r in feed.rounds) and not race.is_proportional:
        elected = sum(1 for c in first.candidates if c.outcome == Tally.Outcome.ELECTED)
        if elected >= race.seats:
            problem(
                f"{feed.where} > Tour 2",
                f"second tour alors que les {race.seats} siège(s) ont été pourvus au premier.",
            )


def fold(name):
    """A name for matching: no accents, no case, single spaces."""
    text = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).upper().split())


# Writing


class Writer:
    """Upserts one race's rows and notes every change to figures already there."""

    def __init__(self, election, race, source_name, nuances):
        self.election, self.race, self.source_name = election, race, source_name
        self.nuances = nuances  # code -> Nuance, shared by the whole import
        self.changes = []

    def note(self, what, before, after):
        if before != after:
            self.changes.append([what, before, after])

    def nuance(self, code, label):
        if not code:
            return None
        nuance = self.nuances.get(code)
        if nuance is None:
            nuance = Nuance.objects.create(election=self.election, code=code, label=label or code)
            self.nuances[code] = nuance
        return nuance

    def update(self, obj, what, **values):
        dirty = False
        for name, value in values.items():
            before = getattr(obj, name)
            if before != value:
                model_field = obj._meta.get_field(name)
                choices = dict(model_field.flatchoices)
                self.note(
                    f"{what}, {model_field.verbose_name}",
                    choices.get(before, before),
                    choices.get(value, value),
                )
                setattr(obj, name, value)
                dirty = True
        if dirty:
            obj.save()

    def candidate(self, feed_candidate, *, candidate_list=None):
        candidates = self.race.candidates.all()
        if candidate_list is not None:
            match = candidates.filter(
                candidate_list=candidate_list, list_position=feed_candidate.position
            ).first()
        else:
            match = next(
                (
                    c
                    for c in candidates.filter(candidate_list=None)
                    if fold(c.last_name) == fold(feed_candidate.last_name)
                    and fold(c.first_name) == fold(feed_candidate.first_name)
                ),
                None,
            )
        name = f"{feed_candidate.first_name} {feed_candidate.last_name}"
        if match is None:
            match = Candidate.objects.create(
                race=self.race,
                candidate_list=candidate_list,
                list_position=feed_candidate.position if candidate_list else None,
                first_name=feed_candidate.first_name,
                last_name=feed_candidate.last_name,
                sex=feed_candidate.sex,
                nuance=self.nuance(feed_candidate.nuance_code, feed_candidate.nuance_label),
                label=feed_candidate.nuance_label,
            )
            self.note(f"Candidat {name}", None, "ajouté")
        else:
            values = {
                "first_name": feed_candidate.first_name,
                "last_name": feed_candidate.last_name,
            }
            if feed_candidate.sex:
                values["sex"] = feed_candidate.sex
            if feed_candidate.nuance_code:
                values["nuance"] = self.nuance(
                    feed_candidate.nuance_code, feed_candidate.nuance_label
                )
                values["label"] = feed_candidate.nuance_label
            self.update(match, f"Candidat {name}", **values)
        return match

    def round(self, feed_round):
        round_ = self.race.rounds.filter(number=feed_round.number).first()
        what = f"Tour {feed_round.number}"
        if round_ is None:
            round_ = Round.objects.create(
                race=self.race,
                number=feed_round.number,
                source_name=self.source_name,
                **feed_round.figures,
            )
            self.note(what, None, "ajouté")
        else:
            self.update(round_, what, **feed_round.figures)
            if self.changes and round_.source_name != self.source_name:
                round_.source_name = self.source_name
                round_.save(update_fields=["source_name", "updated_at"])
        return round_

    def tally(self, round_, *, votes, candidate=None, candidate_list=None, outcome="", seats=None):
        owner = candidate or candidate_list
        tally = round_.tallies.filter(candidate=candidate, candidate_list=candidate_list).first()
        what = f"Tour {round_.number}, {owner}"
        if tally is None:
            Tally.objects.create(
                round=round_,
                candidate=candidate,
                candidate_list=candidate_list,
                votes=votes,
                official_outcome=outcome,
                official_seats=seats,
            )
            self.note(f"{what}, voix", None, votes)
        else:
            self.update(tally, what, votes=votes, official_outcome=outcome, official_seats=seats)

    def write(self, feed):
        for feed_round in sorted(feed.rounds, key=lambda r: r.number):
            round_ = self.round(feed_round)
            for feed_candidate in feed_round.candidates:
                candidate = self.candidate(feed_candidate)
                self.tally(
                    round_,
                    votes=feed_candidate.votes,
                    candidate=candidate,
                    outcome=feed_candidate.outcome,
                )
            for feed_list in feed_round.lists:
                candidate_list = self.candidate_list(feed_list)
                for feed_candidate in feed_list.candidates:
                    self.candidate(feed_candidate, candidate_list=candidate_list)
                self.tally(
                    round_,
                    votes=feed_list.votes,
                    candidate_list=candidate_list,
                    seats=feed_list.seats,
                )
        self.official_awards(feed)
        self.update(
            self.race, "Circonscription", seats_filled=min(feed.seats_filled, self.race.seats)
        )

    def candidate_list(self, feed_list):
        candidate_list = self.race.lists.filter(number=feed_list.number).first()
        values = {
            "name": feed_list.name,
            "head_first_name": feed_list.head_first_name,
            "head_last_name": feed_list.head_last_name,
            "nuance": self.nuance(feed_list.nuance_code, feed_list.nuance_label),
        }
        if candidate_list is None:
            candidate_list = CandidateList.objects.create(
                race=self.race, number=feed_list.number, **values
            )
            self.note(f"Liste {feed_list.number} {feed_list.name}", None, "ajoutée")
        else:
            self.update(candidate_list, f"Liste {feed_list.number}", **values)
        return candidate_list

    def official_awards(self, feed):
        """The Ministry's elected (Elu = OUI), each with the round that elected them."""
        elected = {}
        for feed_round in feed.rounds:
            for feed_candidate in feed_round.candidates:
                if feed_candidate.outcome == Tally.Outcome.ELECTED:
                    elected[self.candidate(feed_candidate).pk] = feed_round.number
            for feed_list in feed_round.lists:
                candidate_list = self.race.lists.get(number=feed_list.number)
                for feed_candidate in feed_list.candidates:
                    if feed_candidate.outcome == Tally.Outcome.ELECTED:
                        candidate = self.candidate(feed_candidate, candidate_list=candidate_list)
                        elected[candidate.pk] = feed_round.number
        existing = {award.candidate_id: award for award in self.race.awards.all()}
        for candidate_id, award in existing.items():
            if candidate_id not in elected:
                self.note(f"Élu {award.candidate}", "élu", "non élu")
                award.delete()
        for candidate_id, round_number in elected.items():
            award = existing.get(candidate_id)
            if award is None:
                award = SeatAward.objects.create(
                    race=self.race, candidate_id=candidate_id, round_number=round_number
                )
                self.note(f"Élu {award.candidate}", None, f"élu au tour {round_number}")
            elif award.round_number != round_number:
                self.update(award, f"Élu {award.candidate}", round_number=round_number)
        return len(elected)


def apply_csv(election, races, rows, summary, nuances):
    """Birth dates, substitutes, outgoing flags and list order from the candidates CSV."""
    for row in rows:
        race = races[row.code]
        writer = Writer(election, race, row.source, nuances)
        candidate_list = None
        if row.list_number is not None:
            candidate_list = race.lists.filter(number=row.list_number).first()
            if candidate_list is None:
                candidate_list = CandidateList.objects.create(
                    race=race,
                    number=row.list_number,
                    name=row.list_name,
                    short_name=row.list_short_name,
                    nuance=writer.nuance(row.nuance_code, row.nuance_label),
                )
            else:
                writer.update(
                    candidate_list, f"Liste {row.list_number}", short_name=row.list_short_name
                )
        feed_candidate = FeedCandidate(
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
        record(summary, race, row.source, writer.changes)


def apply_index(races, entries, summary, nuances):
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
        writer = Writer(race.election, race, entry.source, nuances)
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
        round_ = race.rounds.filter(number=entry.round_number).first()
        if round_ and entry.updated_at:
            writer.update(round_, f"Tour {entry.round_number}", source_updated_at=entry.updated_at)
        record(summary, race, entry.source, writer.changes)


def record(summary, race, source_name, changes):
    summary.races.add(race)
    if changes:
        summary.changes.setdefault(race, []).extend(changes)
        summary.by_source.setdefault((race, source_name), []).extend(changes)


def write_revisions(summary):
    """One revision per race and file that changed something."""
    Revision.objects.bulk_create(
        Revision(race=race, source_name=source_name, changes=jsonable(changes))
        for (race, source_name), changes in summary.by_source.items()
    )


def jsonable(changes):
    return [[what, display(before), display(after)] for what, before, after in changes]


def compare_with_rules(race):
    """Compute the winners from the stored tallies; flag what differs from the official ones."""
    outcome = rules_outcome(race)
    official = {award.candidate_id: award for award in race.awards.all()}
    warnings = list(outcome.flags) if outcome else []
    if outcome is None:
        return warnings, False
    computed = {award.key: award for award in outcome.awards}
    for candidate_id, award in official.items():
        match = computed.get(candidate_id)
        rule = match.rule.value if match else ""
        if award.rule != rule:
            award.rule = rule
            award.save(update_fields=["rule"])
    discrepancy = bool(official) and set(computed) != set(official)
    if discrepancy:
        names = dict(race.candidates.values_list("pk", "last_name"))
        warnings.append(
            "Les élus officiels ("
            + ", ".join(sorted(names[k] for k in official))
            + ") diffèrent de ceux que donnent les règles ("
            + ", ".join(sorted(names[k] for k in computed))
            + ") : à vérifier."
        )
    return warnings, discrepancy


def rules_outcome(race):
    rounds = {round_.number: round_ for round_ in race.rounds.prefetch_related("tallies")}
    if 1 not in rounds:
        return None
    first = rounds[1]
    if race.is_proportional:
        lists = []
        for candidate_list in race.lists.prefetch_related("candidates"):
            tally = next(
                (t for t in first.tallies.all() if t.candidate_list_id == candidate_list.pk), None
            )
            if tally is None:
                continue
            lists.append(
                rules.ListContender(
                    key=candidate_list.pk,
                    votes=tally.votes,
                    candidates=tuple(
                        rules.Contender(key=c.pk, votes=0, birth_date=c.birth_date)
                        for c in sorted(
                            candidate_list.candidates.all(), key=lambda c: c.list_position
                        )
                    ),
                )
            )
        return rules.proportional(seats=race.seats, cast=first.cast, lists=lists)
    birth_dates = dict(race.candidates.values_list("pk", "birth_date"))

    def contenders(round_):
        return [
            rules.Contender(
                key=t.candidate_id, votes=t.votes, birth_date=birth_dates[t.candidate_id]
            )
            for t in round_.tallies.all()
            if t.candidate_id
        ]

    outcome = rules.majority_round1(
        seats=race.seats, registered=first.registered, cast=first.cast, contenders=contenders(first)
    )
    if 2 in rounds:
        left = race.seats - len(outcome.awards)
        if left > 0:
            second = rules.majority_round2(seats=left, contenders=contenders(rounds[2]))
            outcome = rules.Outcome(
                awards=outcome.awards + second.awards, flags=outcome.flags + second.flags
            )
    return outcome


def find_races(election):
    """Races by the codes files use: the INSEE code, or the Ministry's own (ZZ)."""
    races = {}
    for race in election.races.select_related("constituency", "election"):
        constituency = race.constituency
        for code in (
            constituency.code,
            constituency.ministry_code,
            constituency.legacy_ministry_code,
        ):
            if code:
                races.setdefault(code, race)
    return races


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


def import_results(
    *,
    election: Election,
    sources: list[Source],
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Summary:
    """Read every source, refuse the batch on any problem, else write it all in one transaction."""
    problems, feeds, indexes, csv_rows = [], [], [], []
    for number, source in enumerate(sources, start=1):
        if progress:
            progress(number, len(sources), source.name)
        if source.name.lower().endswith(".csv"):
            rows, found = read_candidates_csv(source)
            csv_rows.extend(rows)
        else:
            items, found = read_feed(source, election)
            feeds.extend(item for item in items if isinstance(item, FeedRace))
            indexes.extend(item for item in items if isinstance(item, IndexEntry))
        problems.extend(found)
    if not sources:
        problems.append(Problem("—", "", "aucun fichier à importer."))

    races = find_races(election)
    warnings = []
    for item in [*feeds, *indexes, *csv_rows]:
        if item.code not in races:
            where = (
                item.where
                if isinstance(item, FeedRace)
                else (
                    f"ligne {item.line}"
                    if isinstance(item, CsvCandidate)
                    else f"Circonscription {item.code}"
                )
            )
            problems.append(
                Problem(
                    item.source, where, f"circonscription « {item.code} » inconnue pour {election}."
                )
            )
    for feed in feeds:
        if feed.code in races:
            check_race(feed, races[feed.code], problems, warnings)
    problems.extend(round2_after_round1_filled(feeds, races))
    if problems:
        raise ImportRefused(problems)

    summary = Summary(files=len(sources), warnings=warnings)
    with transaction.atomic():
        nuances = {nuance.code: nuance for nuance in election.nuances.all()}
        apply_csv(election, races, csv_rows, summary, nuances)
        for feed in feeds:
            race = races[feed.code]
            writer = Writer(election, race, feed.source, nuances)
            writer.write(feed)
            record(summary, race, feed.source, writer.changes)
        apply_index(races, indexes, summary, nuances)
        write_revisions(summary)
        for race in summary.races:
            race_warnings, discrepancy = compare_with_rules(race)
            summary.warnings.extend(f"{race.constituency.name} : {w}" for w in race_warnings)
            if race.warnings != race_warnings or race.has_discrepancy != discrepancy:
                race.warnings, race.has_discrepancy = race_warnings, discrepancy
                race.save(update_fields=["warnings", "has_discrepancy", "updated_at"])
        if summary.changed:
            election.touch_results()
        if dry_run:
            transaction.set_rollback(True)
    return summary


def round2_after_round1_filled(feeds, races):
    """A round-2 file for a race whose round 1 (already stored) filled every seat."""
    problems = []
    for feed in feeds:
        race = races.get(feed.code)
        if race is None or not any(r.number == 2 for r in feed.rounds):
            continue
        if any(r.number == 1 for r in feed.rounds):
            continue  # checked against the file's own round 1
        stored = SeatAward.objects.filter(race=race, round_number=1).count()
        if stored >= race.seats:
            problems.append(
                Problem(
                    feed.source,
                    f"{feed.where} > Tour 2",
                    f"second tour alors que les {race.seats} siège(s) ont été pourvus au premier.",
                )
            )
    return problems
