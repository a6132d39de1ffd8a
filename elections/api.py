"""The election as open data: `/api/elections/<slug>.json`, documented in the README."""

from django.db.models import Prefetch

from elections.models import CandidateList, Round, Tally
from elections.results import election_results

FORMAT_VERSION = 1


def iso(value):
    return value.isoformat() if value else None


def election_document(election, request):
    """Everything public about the election, from the same data as its pages."""
    results = election_results(election)
    tallies = Tally.objects.select_related("candidate", "candidate_list").order_by("-votes", "pk")
    races = election.races.select_related("constituency").prefetch_related(
        Prefetch("rounds", queryset=Round.objects.prefetch_related(Prefetch("tallies", tallies))),
        Prefetch("lists", queryset=CandidateList.objects.prefetch_related("candidates")),
    )
    details = {race.constituency.code: race for race in races}
    constituencies = []
    for state in results.renewed:
        race = details[state.code]
        constituencies.append(
            {
                "code": state.code,
                "name": state.name,
                "url": request.build_absolute_uri(state.url),
                "seats": state.seats,
                "voting_system": state.voting_system,
                "state": state.state,
                "source_updated_at": iso(race.source_updated_at),
                "rounds": [round_document(round_) for round_ in race.rounds.all()],
                "lists": [
                    {
                        "number": candidate_list.number,
                        "name": candidate_list.name,
                        "candidates": [
                            {"position": c.list_position, "name": c.full_name}
                            for c in sorted(
                                candidate_list.candidates.all(), key=lambda c: c.list_position
                            )
                        ],
                    }
                    for candidate_list in race.lists.all()
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
                "candidate": tally.candidate.full_name if tally.candidate_id else None,
                "list": tally.candidate_list.name if tally.candidate_list_id else None,
                "list_number": tally.candidate_list.number if tally.candidate_list_id else None,
                "votes": tally.votes,
                "official_outcome": tally.official_outcome or None,
                "official_seats": tally.official_seats,
            }
            for tally in round_.tallies.all()
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
