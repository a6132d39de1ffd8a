"""The Ministry of the Interior's results files, read into plain data: no database, no Django.

`read(source)` turns one file into a `Reading`: what the file says, as the dataclasses below,
and every problem found in it, each with its place in the file. The files are a round file
`R{round}{code}.xml` (a round-2 file carries both rounds), an index `INDEX{round}FE.xml`, and
the candidates CSV (`;`-separated, UTF-8 or Latin-1). Nothing here knows which election or
race a file is for: elections/importers.py matches what was read with the database and
writes it. Checks that the file alone can settle (its arithmetic) are made here; those that
need the stored race (its seats, its voting system) are the importer's.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import PurePath
from xml.etree.ElementTree import ParseError
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

# The files give times in Paris time, without saying so.
PARIS = ZoneInfo("Europe/Paris")


class Outcome(StrEnum):
    """What the Ministry's `Elu` says of a candidate; the values are Tally.Outcome's."""

    ELECTED = "elected"
    QUALIFIED = "qualified"
    NOT_ELECTED = "not_elected"


ELU = {"OUI": Outcome.ELECTED, "NON": Outcome.NOT_ELECTED, "QUALIFIE(E) AU T2": Outcome.QUALIFIED}
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
    """A file as it came: its name (which says what it is) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Problem:
    """Something wrong at a place in a file, in words an editor can act on."""

    source: str
    where: str
    message: str

    def __str__(self):
        if self.where:
            return f"{self.source}, {self.where} : {self.message}"
        return f"{self.source} : {self.message}"


@dataclass
class FeedCandidate:
    where: str
    last_name: str
    first_name: str
    sex: str
    votes: int | None = None
    outcome: str = ""  # an Outcome, or "" when the file says nothing
    nuance_code: str = ""
    nuance_label: str = ""
    position: int | None = None  # on a list: its place
    list_number: int | None = None  # on a list: the list's number


@dataclass
class FeedList:
    where: str
    number: int
    name: str  # NomCompListe, whole: the Ministry cuts NomListe at 100 characters
    short_name: str  # NomListe, when it differs from the whole name
    head_last_name: str
    head_first_name: str
    head_sex: str
    nuance_code: str
    nuance_label: str
    votes: int
    seats: int | None
    candidates: list[FeedCandidate]


@dataclass
class FeedRound:
    where: str
    number: int
    figures: dict[str, int | None]  # MENTIONS' keys
    candidates: list[FeedCandidate] = field(default_factory=list)
    lists: list[FeedList] = field(default_factory=list)

    def everyone(self):
        """The round's candidates, those standing alone and those on its lists."""
        return [*self.candidates, *(c for liste in self.lists for c in liste.candidates)]


@dataclass
class FeedRace:
    source: str
    where: str
    code: str
    name: str
    seats: int
    seats_filled: int
    rounds: list[FeedRound]

    def elected_in(self, number):
        """The candidates the file marks elected (Elu = OUI) in round `number`."""
        return [
            candidate
            for round_ in self.rounds
            if round_.number == number
            for candidate in [
                *round_.candidates,
                *(c for li in round_.lists for c in li.candidates),
            ]
            if candidate.outcome == Outcome.ELECTED
        ]


@dataclass
class IndexEntry:
    source: str
    where: str
    round_number: int
    code: str
    name: str
    received: bool | None  # ResultatsParvenus; None when the line doesn't say
    filled: str  # Pourvu: "T1", "T2" or "NON"
    has_no_candidacy: bool  # SansCandidature: nobody stood in this round
    updated_at: datetime | None  # the results' last change (DateDerMaj, HeureDerMaj)
    stations_counted: int | None  # NbBureauxDeVoteSaisis
    stations_share: Decimal | None  # PourcentageBureauxDeVoteSaisis, in percent


@dataclass
class CsvCandidate:
    source: str
    where: str
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
class Reading:
    """What one file says, and what is wrong with it."""

    source: str
    kind: str = ""  # Scrutin/Type, as written ("Sénatoriales")
    year: str = ""  # Scrutin/Annee
    races: list[FeedRace] = field(default_factory=list)
    index: list[IndexEntry] = field(default_factory=list)
    candidates: list[CsvCandidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # oddities that don't block

    def problem(self, where, message):
        self.problems.append(Problem(self.source, where, message))

    def warning(self, where, message):
        self.warnings.append(Problem(self.source, where, message))

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

    def percentage(self, text, where):
        """ "66,95" (the Ministry's decimal comma) as Decimal("66.95"); None when absent."""
        raw = (text or "").strip()
        if not raw:
            return None
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= 100:
            self.problem(where, f"« {raw} » n’est pas un pourcentage.")
            return None
        return value

    def moment(self, day, time, where):
        if not (day and time):
            return None
        try:
            return datetime.strptime(f"{day} {time}", "%d/%m/%Y %H:%M:%S").replace(tzinfo=PARIS)
        except ValueError:
            self.problem(where, f"date illisible « {day} {time} ».")
            return None


def read(source: Source) -> Reading:
    """One file of the Ministry's, whatever its kind (told by its name's ending)."""
    if source.name.lower().endswith(".csv"):
        return read_candidates_csv(source)
    return read_feed(source)


def fold(name):
    """A name for matching: no accents, no case, single spaces."""
    text = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).upper().split())


# The XML feed


def child_text(element, tag):
    found = element.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def parse_xml(source, reading):
    data = source.data.lstrip()
    head = data[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        reading.problem(
            "",
            "c’est une page HTML, pas un fichier de résultats : le ministère sert cette page "
            "tant que le fichier n’est pas publié. Réessayez plus tard.",
        )
        return None
    try:
        root = fromstring(data)
    except ParseError as error:
        line, column = error.position
        reading.problem(
            f"ligne {line}, colonne {column}", "XML illisible (fichier tronqué ou mal formé)."
        )
        return None
    except DefusedXmlException:
        reading.problem("", "XML refusé : il déclare des entités, ce que le ministère ne fait pas.")
        return None
    if root.tag != "Election":
        reading.problem(
            f"<{root.tag}>", "ce n’est pas un fichier du ministère (<Election> attendu)."
        )
        return None
    return root


def read_feed(source):
    """A round file or an index."""
    reading = Reading(source.name)
    root = parse_xml(source, reading)
    if root is None:
        return reading
    reading.year = child_text(root, "Scrutin/Annee")
    reading.kind = child_text(root, "Scrutin/Type")
    constituencies = root.findall(".//Circonscription")
    if not constituencies:
        reading.problem("EnsembleGeo", "aucune <Circonscription> dans ce fichier.")
    if root.find(".//Circonscriptions") is not None:
        # INDEX1FE.xml, INDEX2FE.xml: the round is in the name.
        stem = PurePath(source.name).stem.upper().removeprefix("INDEX")
        round_number = 2 if stem.startswith("2") else 1
        reading.index = [read_index_entry(e, reading, round_number) for e in constituencies]
    else:
        reading.races = [read_race(element, reading) for element in constituencies]
    return reading


def read_index_entry(element, reading, round_number):
    code = child_text(element, "CodCirElec")
    where = f"Circonscription {code or '?'}"
    received = child_text(element, "ResultatsParvenus")
    return IndexEntry(
        source=reading.source,
        where=where,
        round_number=round_number,
        code=code,
        name=child_text(element, "LibCirElec"),
        received={"OUI": True, "NON": False}.get(received),
        filled=child_text(element, "Pourvu"),
        has_no_candidacy=child_text(element, "SansCandidature").upper() == "OUI",
        updated_at=reading.moment(
            child_text(element, "DateDerMaj"), child_text(element, "HeureDerMaj"), where
        ),
        stations_counted=reading.number(
            child_text(element, "NbBureauxDeVoteSaisis"),
            f"{where} > NbBureauxDeVoteSaisis",
            required=False,
        ),
        stations_share=reading.percentage(
            child_text(element, "PourcentageBureauxDeVoteSaisis"),
            f"{where} > PourcentageBureauxDeVoteSaisis",
        ),
    )


def read_race(element, reading):
    code, name = child_text(element, "CodCirElec"), child_text(element, "LibCirElec")
    where = f"Circonscription {code or '?'} ({name})"
    if not code:
        reading.problem(where, "code de circonscription (CodCirElec) manquant.")
    seats = reading.number(child_text(element, "NbSap"), f"{where} > NbSap")
    filled = reading.number(child_text(element, "NbSiePourvus"), f"{where} > NbSiePourvus")
    rounds = []
    for tour in element.findall("Tours/Tour"):
        number = reading.number(child_text(tour, "NumTour"), f"{where} > Tour > NumTour")
        tour_where = f"{where} > Tour {number}"
        if number not in (1, 2):
            reading.problem(tour_where, "le numéro de tour doit être 1 ou 2.")
            continue
        figures = {
            name: reading.number(
                child_text(tour, f"Mentions/{tag}/Nombre"), f"{tour_where} > {tag}"
            )
            for name, tag in MENTIONS.items()
        }
        round_ = FeedRound(where=tour_where, number=number, figures=figures)
        for candidate in tour.findall("Resultats/Candidats/Candidat"):
            round_.candidates.append(
                read_candidate(candidate, reading, tour_where, with_votes=True)
            )
        for liste in tour.findall("Resultats/Listes/Liste"):
            round_.lists.append(read_list(liste, reading, tour_where))
        rounds.append(round_)
    if not rounds:
        reading.problem(where, "aucun tour (<Tours><Tour>) dans cette circonscription.")
    race = FeedRace(reading.source, where, code, name, seats or 0, filled or 0, rounds)
    check_race(race, reading)
    return race


def read_candidate(element, reading, where, *, with_votes, list_number=None):
    last_name, first_name = child_text(element, "NomPsn"), child_text(element, "PrenomPsn")
    where = f"{where} > Candidat {first_name} {last_name}".rstrip()
    if not last_name:
        reading.problem(where, "nom (NomPsn) manquant.")
    elu = child_text(element, "Elu").upper()
    if elu and elu not in ELU:
        reading.problem(
            f"{where} > Elu", f"valeur inconnue « {elu} » (OUI, NON ou QUALIFIE(E) AU T2)."
        )
    position = child_text(element, "NumOrdCand")
    return FeedCandidate(
        where=where,
        last_name=last_name,
        first_name=first_name,
        sex=SEXES.get(child_text(element, "CivilitePsn").upper(), ""),
        votes=(
            reading.number(child_text(element, "NbVoix"), f"{where} > NbVoix")
            if with_votes
            else None
        ),
        outcome=ELU.get(elu, ""),
        nuance_code=child_text(element, "CodNuaCand"),
        nuance_label=child_text(element, "LibNuaCand"),
        position=reading.number(position, f"{where} > NumOrdCand") if position else None,
        list_number=list_number,
    )


def read_list(element, reading, where):
    number = reading.number(child_text(element, "NumListe"), f"{where} > Liste > NumListe")
    short_name = child_text(element, "NomListe")
    name = child_text(element, "NomCompListe") or short_name
    where = f"{where} > Liste {number} ({short_name or name})"
    if not name:
        reading.problem(where, "nom de liste (NomCompListe, NomListe) manquant.")
    seats = child_text(element, "NbSieges")
    return FeedList(
        where=where,
        number=number or 0,
        name=name,
        short_name=short_name if short_name != name else "",
        head_last_name=child_text(element, "NomTeteListe"),
        head_first_name=child_text(element, "PrenomTeteListe"),
        head_sex=SEXES.get(child_text(element, "CiviliteTeteListe").upper(), ""),
        nuance_code=child_text(element, "CodNuaListe"),
        nuance_label=child_text(element, "LibNuaListe"),
        votes=reading.number(child_text(element, "NbVoix"), f"{where} > NbVoix") or 0,
        seats=reading.number(seats, f"{where} > NbSieges") if seats else None,
        candidates=[
            read_candidate(candidate, reading, where, with_votes=False, list_number=number or 0)
            for candidate in element.findall("Candidats/Candidat")
        ],
    )


def check_race(race, reading):
    """The arithmetic a round file must hold on its own."""
    numbers = [round_.number for round_ in race.rounds]
    if len(set(numbers)) != len(numbers):
        reading.problem(race.where, "le même tour figure deux fois.")
    for round_ in race.rounds:
        f = round_.figures
        if None in f.values():
            continue  # already reported as unreadable
        if f["voters"] != f["registered"] - f["abstentions"]:
            reading.problem(
                round_.where,
                f"votants ({f['voters']}) ≠ inscrits ({f['registered']}) − abstentions "
                f"({f['abstentions']}).",
            )
        if f["cast"] != f["voters"] - f["blank"] - f["null"]:
            reading.problem(
                round_.where,
                f"exprimés ({f['cast']}) ≠ votants ({f['voters']}) − blancs ({f['blank']}) "
                f"− nuls ({f['null']}).",
            )
        if round_.lists:
            total = sum(liste.votes for liste in round_.lists)
            if total != f["cast"]:
                reading.problem(
                    round_.where, f"les voix des listes ({total}) ≠ exprimés ({f['cast']})."
                )
            seats = [liste.seats for liste in round_.lists if liste.seats is not None]
            if race.seats and seats and sum(seats) not in (0, race.seats):
                reading.problem(
                    round_.where, f"les sièges des listes ({sum(seats)}) ≠ sièges ({race.seats})."
                )
        # Each ballot may name as many candidates as there are seats.
        total = sum(candidate.votes or 0 for candidate in round_.candidates)
        if race.seats and total > f["cast"] * race.seats:
            reading.warning(
                round_.where,
                f"les voix des candidats ({total}) dépassent exprimés × sièges "
                f"({f['cast']} × {race.seats}).",
            )
    flagged = sum(len(race.elected_in(number)) for number in set(numbers))
    if flagged != race.seats_filled:
        reading.warning(
            race.where,
            f"{race.seats_filled} siège(s) pourvu(s) annoncé(s) (NbSiePourvus), "
            f"{flagged} candidat(s) marqué(s) élu(s).",
        )


# The candidates CSV


def decode_csv(data):
    """UTF-8 when it is, else Windows-1252/Latin-1, as the Ministry has published both."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_date(text, reading, where):
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    reading.problem(where, f"date illisible « {text} » (JJ/MM/AAAA attendu).")
    return None


def is_outgoing(text):
    return text.upper() in ("OUI", "O", "SORTANT", "1")


def read_candidates_csv(source):
    reading = Reading(source.name)
    rows = csv.reader(io.StringIO(decode_csv(source.data)), delimiter=";")
    header = [column.strip() for column in next(rows, [])]
    is_list_file = "Ordre" in header or "Libellé de la liste" in header
    expected = LIST_COLUMNS if is_list_file else MAJORITY_COLUMNS
    missing = [column for column in expected if column not in header]
    if missing:
        reading.problem(
            "ligne 1",
            "colonnes manquantes : " + ", ".join(f"« {column} »" for column in missing) + ".",
        )
        return reading
    for line, values in enumerate(rows, start=2):
        if not any(value.strip() for value in values):
            continue
        where = f"ligne {line}"
        if len(values) != len(header):
            reading.problem(where, f"{len(values)} colonnes au lieu de {len(header)}.")
            continue
        row = {column: value.strip() for column, value in zip(header, values, strict=True)}
        read_row = list_row if is_list_file else majority_row
        candidate = read_row(row, reading, where, line=line, code=row["Code circonscription"])
        if not candidate.last_name:
            reading.problem(where, "nom du candidat manquant.")
        reading.candidates.append(candidate)
    return reading


def list_row(row, reading, where, **fields):
    return CsvCandidate(
        source=reading.source,
        where=where,
        list_number=reading.number(row["N° dépôt"], f"{where}, « N° dépôt »"),
        list_name=row["Libellé de la liste"],
        list_short_name=row["Libellé abrégé de liste"],
        position=reading.number(row["Ordre"], f"{where}, « Ordre »"),
        last_name=row["Nom sur le bulletin de vote"],
        first_name=row["Prénom sur le bulletin de vote"],
        sex=SEXES.get(row["Sexe"].upper(), ""),
        birth_date=parse_date(row["Date de naissance"], reading, where),
        nuance_code=row["Code nuance de liste"],
        nuance_label=row["Nuance de liste"],
        is_outgoing=is_outgoing(row["Sortant"]),
        **fields,
    )


def majority_row(row, reading, where, **fields):
    return CsvCandidate(
        source=reading.source,
        where=where,
        list_number=None,
        list_name="",
        list_short_name="",
        position=None,
        last_name=row["Nom du candidat"],
        first_name=row["Prénom du candidat"],
        sex=SEXES.get(row["Sexe du candidat"].upper(), ""),
        birth_date=parse_date(row["Date de naissance du candidat"], reading, where),
        nuance_code=row["Code nuance"],
        nuance_label=row["Nuance du candidat"],
        is_outgoing=is_outgoing(row["Sortant"]),
        substitute_name=f"{row['Prénom remplaçant']} {row['Nom remplaçant']}".strip(),
        substitute_sex=SEXES.get(row["Sexe remplaçant"].upper(), ""),
        substitute_birth_date=parse_date(row["Date de naissance remplaçant"], reading, where),
        **fields,
    )
