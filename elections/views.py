from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.generic import ListView

from elections.api import election_document
from elections.maps import france_map, map_areas
from elections.models import Election, Race, Senator
from elections.results import election_results, race_results


class ElectionListView(ListView):
    context_object_name = "elections"
    template_name = "elections/election_list.html"

    def get_queryset(self):
        return Election.objects.order_by("-round1_on")


def election_detail(request, slug):
    election = get_object_or_404(Election, slug=slug)
    results = election_results(election)
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "results": results,
            "map": france_map(),
            "areas": map_areas(results.races),
        },
    )


def race_detail(request, slug, code):
    race = get_object_or_404(
        Race.objects.for_display(), election__slug=slug, constituency__code=code
    )
    outgoing = (
        Senator.objects.filter(constituency=race.constituency).select_related("group")
        if race.election.baseline_label
        else Senator.objects.none()
    )
    return render(
        request,
        "elections/race_detail.html",
        {
            "race": race,
            "election": race.election,
            "results": race_results([race])[race.pk],
            "outgoing": outgoing,
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
