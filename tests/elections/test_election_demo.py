import io

import pytest
from django.apps import apps
from django.core import serializers
from django.db.models import Count, F

from elections.ministry import fold
from elections.models import Constituency, Election, Race, SeatAward, Senator, Tally
from newsroom.demo.articles import REFERENCE_SLUG
from newsroom.demo.elections import load_elections
from tests.helpers import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def problems():
    return load_elections()


def elected(race):
    """{folded last name: (round, rule)} of the race's seat awards."""
    return {
        fold(award.candidate.last_name): (award.round_number, award.rule)
        for award in race.awards.select_related("candidate")
    }


def snapshot():
    """Row counts and every row of the elections app, timestamps included."""
    models = list(apps.get_app_config("elections").get_models())
    rows = {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in models
    }
    counts = {model._meta.label: model.objects.count() for model in models}
    return counts, rows


def test_everything_adds_up(problems):
    assert problems == []


def test_the_demo_stands_on_the_reference_data(problems):
    # load_reference's own tests check the data; the demo adds elections on top of it.
    assert Constituency.objects.count() == 109 and Senator.objects.count() == 348
    assert Race.objects.filter(election__slug="senatoriales-2026").count() == 64


def test_new_caledonia_2023_follows_the_reference_figures(problems):
    race = Race.objects.get(election__slug="senatoriales-2023", constituency__code="988")
    assert Race.objects.filter(election__slug="senatoriales-2023").count() == 45
    assert elected(race) == {
        "NATUREL": (1, SeatAward.Rule.ROUND1_MAJORITY),
        "XOWIE": (2, SeatAward.Rule.ROUND2_PLURALITY),
    }
    assert race.has_discrepancy is False
    assert race.seats_filled == 2
    assert race.reported_status == Race.ReportedStatus.FILLED_ROUND2
    first, second = race.rounds.all()
    assert (first.registered, first.cast, second.registered, second.cast) == (578, 561, 578, 555)
    votes = {
        (t.round.number, fold(t.candidate.last_name)): t.votes
        for t in Tally.objects.filter(round__race=race).select_related("round", "candidate")
    }
    assert votes[1, "BACKES"] == 225
    assert votes[2, "BACKES"] == 246
    assert sum(v for (number, _), v in votes.items() if number == 1) == 1071
    outgoing = race.candidates.filter(is_outgoing=True).values_list("last_name", flat=True)
    assert sorted(outgoing) == ["FROGIER", "POADJA"]
    assert race.candidates.get(last_name="XOWIE").group.short_name == "CRCE-K"


def test_2026_fills_all_178_seats(problems):
    election = Election.objects.get(slug="senatoriales-2026")
    races = election.races.annotate(award_count=Count("awards"))
    assert races.count() == 64
    assert SeatAward.objects.filter(race__election=election).count() == 178
    assert [r.constituency.code for r in races if r.award_count != r.seats] == []
    assert races.filter(seats_filled=F("seats")).count() == 64


def test_ains_elected_are_the_ministrys(problems):
    race = Race.objects.get(election__slug="senatoriales-2026", constituency__code="01")
    awards = race.awards.select_related("candidate__candidate_list")
    assert len(awards) == 3
    # Elected by the feed, in round 1 and on their list: not duplicated from elected_2026.csv.
    assert all(a.round_number == 1 and a.candidate.candidate_list for a in awards)
    assert sorted(fold(a.candidate.last_name) for a in awards) == [
        "BAUDE",
        "BLATRIX CONTAT",
        "GOY-CHAVENT",
    ]
    assert race.candidates.filter(last_name="BAUDE").count() == 1


def test_reference_story_links_to_the_race():
    article = make_article(slug=REFERENCE_SLUG)
    load_elections()
    assert list(article.elections.values_list("slug", flat=True)) == ["senatoriales-2023"]
    assert [race.constituency.code for race in article.races.all()] == ["988"]


def test_a_second_run_changes_nothing(problems):
    before = snapshot()
    output = io.StringIO()
    load_elections(stdout=output)
    assert snapshot() == before
    assert "Créations : 0, mises à jour : 0, scrutins modifiés par l’import : 0." in (
        output.getvalue()
    )
