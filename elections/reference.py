"""Reference data, which production needs from day one: constituencies, the Senate's groups
and its senators, read from `elections/data/senate` (see its README for their provenance).

`load_reference()` is what `manage.py load_reference` runs and the set-up step with it; the
demo builds on it and tests use it too. Running it twice changes nothing: rows are found by
their natural key and saved only when a value differs, since every save moves `updated_at`.
"""

import csv
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.db.models import Count

from elections.ministry import fold
from elections.models import Constituency, Kind, ParliamentaryGroup, Senator, VotingSystem

SENATE = Path(__file__).parent / "data" / "senate"
VOTING_SYSTEMS = {
    "majoritaire": VotingSystem.MAJORITY,
    "proportionnel": VotingSystem.PROPORTIONAL,
}
# senators.csv names two groups in full in its `group_short` column.
GROUP_ALIASES = {"Les Républicains": "LR", "Les Indépendants": "LIRT"}


def read_csv(name):
    with open(SENATE / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def sync(model, lookup, fields, changes):
    """The row matching `lookup`, created or brought up to date; saved only if a value differs."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        changes["created"] += 1
        return model.objects.create(**lookup, **fields)
    stale = {name: value for name, value in fields.items() if getattr(row, name) != value}
    if stale:
        for name, value in stale.items():
            setattr(row, name, value)
        row.save()
        changes["updated"] += 1
    return row


def load_reference():
    """The 109 senatorial constituencies, the Senate's groups and its senators.

    Returns the changes made (Counter of "created" and "updated") and the sentences saying
    what does not add up (a constituency with more or fewer senators than seats).
    """
    changes, problems = Counter(), []
    with transaction.atomic():
        constituencies = load_constituencies(changes)
        groups = load_groups(changes)
        load_senators(constituencies, groups, changes, problems)
    return changes, problems


def load_constituencies(changes=None):
    """The 109 senatorial constituencies, by INSEE code: {code: Constituency}."""
    changes = Counter() if changes is None else changes
    constituencies = {}
    for row in read_csv("seats_by_constituency.csv"):
        # ZZ is the feed's code for the French abroad, shared by both series' constituencies.
        ministry_code = row["legacy_ministry_code"]
        is_abroad = ministry_code == "ZZ"
        constituencies[row["code_insee"]] = sync(
            Constituency,
            {"kind": Kind.SENATORIALES, "code": row["code_insee"]},
            {
                "name": row["name"],
                "seats": int(row["seats"]),
                "series": int(row["series"]),
                "voting_system": VOTING_SYSTEMS[row["voting_system"]],
                "ministry_code": ministry_code if is_abroad else "",
                "legacy_ministry_code": "" if is_abroad else ministry_code,
            },
            changes,
        )
    return constituencies


def load_groups(changes):
    """The Senate's groups, left to right as they sit: {short name: ParliamentaryGroup}."""
    return {
        row["short_name"]: sync(
            ParliamentaryGroup,
            {"chamber": ParliamentaryGroup.Chamber.SENATE, "short_name": row["short_name"]},
            {"name": row["name"], "bloc": row["bloc"], "color": row["color"], "position": position},
            changes,
        )
        for position, row in enumerate(read_csv("groups.csv"))
    }


def senator_constituency(row, constituencies):
    """The constituency of a senators.csv row, whose codes are not all INSEE codes."""
    code, label = row["department_code"], row["department_label"]
    if code == "ZZ":
        # The French abroad: the label names the series, "(Série 1)" or "(Série 2)".
        return constituencies["FEHF-S1" if "Série 1" in label else "FEHF-S2"]
    if code in constituencies:
        return constituencies[code]
    for constituency in constituencies.values():
        # Overseas constituencies under the Ministry's old codes (ZA, ZB…), and the one
        # row without a code (Aisne), found by its name.
        if code and constituency.legacy_ministry_code == code:
            return constituency
        if not code and fold(constituency.name) == fold(label):
            return constituency
    raise ValueError(f"senators.csv : circonscription inconnue {code!r} ({label}).")


def load_senators(constituencies, groups, changes, problems):
    for row in read_csv("senators.csv"):
        group = groups[GROUP_ALIASES.get(row["group_short"], row["group_short"])]
        sync(
            Senator,
            {"slug": row["slug"]},
            {
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "group_id": group.pk,
                "constituency_id": senator_constituency(row, constituencies).pk,
                "is_active": row["active"] == "True",
            },
            changes,
        )
    for constituency in Constituency.objects.filter(kind=Kind.SENATORIALES).annotate(
        senator_count=Count("senators")
    ):
        if constituency.senator_count != constituency.seats:
            problems.append(
                f"{constituency} : {constituency.senator_count} sénateur(s) "
                f"pour {constituency.seats} siège(s)."
            )
