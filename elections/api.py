"""The election as open data: `/api/elections/<slug>.json`, documented in the README."""

from elections.results import election_results, race_results

FORMAT_VERSION = 1


def iso(value):
    return value.isoformat() if value else None


def election_document(election, request):
    """Everything public about the election, from the same readings as its pages."""
    results = election_results(election)
    races = {race.constituency.code: race for race in election.races.for_display()}
    details = race_results(races.values())
    constituencies = []
    for state in results.renewed:
        race = races[state.code]
        detail = details[race.pk]
        constituencies.append(
            {
                "code": state.code,
                "name": state.name,
                "url": request.build_absolute_uri(state.url),
                "seats": state.seats,
                "voting_system": state.voting_system,
                "state": state.state,
                "source_updated_at": iso(race.source_updated_at),
                "rounds": [round_document(round_) for round_ in detail.rounds],
                "lists": [
                    {
                        "number": candidate_list.number,
                        "name": candidate_list.name,
                        "short_name": candidate_list.short_name,
                        "candidates": [
                            {"position": position, "name": name}
                            for position, name in candidate_list.candidates
                        ],
                    }
                    for candidate_list in detail.lists
                ],
                "elected": [elected_document(elected) for elected in state.elected],
            }
        )
    return {
        "format_version": FORMAT_VERSION,
        "election": {
            "slug": election.slug,
            "name": election.name,
            "kind": election.kind,
            "year": election.year,
            "series": election.series,
            "round1_on": iso(election.round1_on),
            "round2_on": iso(election.round2_on),
            "status": election.status,
            "url": request.build_absolute_uri(election.get_absolute_url()),
            "last_update": iso(results.last_update),
            "seats_renewed": results.seats_renewed,
            "seats_known": results.seats_known,
        },
        "groups": [
            {
                "short_name": count.group.short_name,
                "name": count.group.name,
                "bloc": count.group.bloc,
                "seats": count.seats,
                "seats_before": count.before,
            }
            for count in results.groups
        ],
        "constituencies": constituencies,
    }


def round_document(round_):
    return {
        "number": round_.number,
        "registered": round_.registered,
        "abstentions": round_.abstentions,
        "voters": round_.voters,
        "blank": round_.blank,
        "null": round_.null,
        "cast": round_.cast,
        "is_final": round_.is_final,
        "source_updated_at": iso(round_.source_updated_at),
        "tallies": [
            {
                "candidate": row.candidate,
                "list": row.list_name,
                "list_number": row.list_number,
                "votes": row.votes,
                "official_outcome": row.official_outcome or None,
                "official_seats": row.official_seats,
            }
            for row in round_.rows
        ],
    }


def elected_document(elected):
    return {
        "name": elected.name,
        "first_name": elected.first_name,
        "last_name": elected.last_name,
        "round": elected.round_number,
        "rule": elected.rule or None,
        "nuance": elected.nuance or None,
        "list": elected.list_name or None,
        "group": elected.group.short_name if elected.group.key else None,
        "bloc": elected.bloc,
        "is_outgoing": elected.is_outgoing,
    }
