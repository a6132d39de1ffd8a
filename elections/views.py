from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.generic import ListView

from articles.models import Article
from elections import rules
from elections.api import election_document
from elections.maps import france_map, map_areas
from elections.models import Election, Race, Senator
from elections.results import election_results, race_details, round_rows

ARTICLE_COUNT = 6


class ElectionListView(ListView):
    context_object_name = "elections"
    template_name = "elections/election_list.html"

    def get_queryset(self):
        return Election.objects.order_by("-round1_on")


def election_detail(request, slug):
    election = get_object_or_404(Election, slug=slug)
    results = election_results(election)
    articles = (
        Article.objects.published()
        .filter(Q(elections=election) | Q(races__election=election))
        .distinct()
        .for_cards()[:ARTICLE_COUNT]
    )
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "results": results,
            "map": france_map(),
            "areas": map_areas(results.races),
            "articles": articles,
        },
    )


def race_detail(request, slug, code):
    race = get_object_or_404(
        Race.objects.select_related("constituency", "election"),
        election__slug=slug,
        constituency__code=code,
    )
    rounds, lists, awards = race_details(race)
    rounds = [
        {
            "round": round_,
            "rows": round_rows(round_, lists, awards),
            "majority": rules.absolute_majority(round_.cast) if round_.number == 1 else None,
            "quarter": (
                rules.quarter_of_registered(round_.registered) if round_.number == 1 else None
            ),
        }
        for round_ in rounds
    ]
    elected = sorted(
        awards.values(), key=lambda a: (a.round_number or 0, a.candidate.list_position or 0)
    )
    outgoing = (
        Senator.objects.filter(constituency=race.constituency).select_related("group")
        if race.election.baseline_label
        else Senator.objects.none()
    )
    articles = race.articles.published().for_cards()[:ARTICLE_COUNT]
    return render(
        request,
        "elections/race_detail.html",
        {
            "race": race,
            "election": race.election,
            "rounds": rounds,
            "elected": elected,
            "outgoing": outgoing,
            "articles": articles,
        },
    )


def election_api(request, slug):
    election = get_object_or_404(Election, slug=slug)
    response = JsonResponse(
        election_document(election, request), json_dumps_params={"ensure_ascii": False}
    )
    # Election night: a minute of caching spares the database, and the ETag lets
    # clients ask cheaply whether anything moved.
    patch_cache_control(response, public=True, max_age=60)
    if election.results_updated_at:
        response.headers["Last-Modified"] = http_date(election.results_updated_at.timestamp())
        response.headers["ETag"] = f'"{election.pk}-{election.results_updated_at.timestamp()}"'
    return response
