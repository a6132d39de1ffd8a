"""One truth for who was elected: an editor's correction of a seat award shows everywhere."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from elections.importers import import_results
from elections.models import Candidate, Race, SeatAward
from tests.helpers import feed_source, form_data, make_article, make_senate_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def allier():
    """Allier, 2026: MALHURET and ROJOUAN elected in round 1, as the Ministry's file says."""
    election = make_senate_election()
    import_results(election=election, sources=[feed_source("R103.xml")])
    return Race.objects.get(election=election, constituency__code="03")


def correct_award(admin_client, race, *, wrong, right):
    """Through the race's admin page: the award of `wrong` goes to `right`."""
    url = reverse("admin:elections_race_change", args=[race.pk])
    data = form_data(admin_client.get(url).text, "#race_form")
    award = SeatAward.objects.get(race=race, candidate__last_name=wrong)
    row = next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("awards-") and key.endswith("-id") and value == str(award.pk)
    )
    data[f"{row}-candidate"] = Candidate.objects.get(race=race, last_name=right).pk
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.text


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def test_a_corrected_award_shows_the_same_on_every_surface(admin_client, client, allier):
    article = make_article(headline="Allier : deux sénateurs élus dès le premier tour")
    article.races.add(allier)
    # Every surface is read once before the correction: their caches must renew.
    for url in [
        allier.get_absolute_url(),
        "/elections/senatoriales-2026/",
        article.get_absolute_url(),
    ]:
        client.get(url)
    client.get("/api/elections/senatoriales-2026.json")

    correct_award(admin_client, allier, wrong="ROJOUAN", right="GENESTE")

    elected = {"Claude MALHURET", "Loïc GENESTE"}
    race_page = soup(client.get(allier.get_absolute_url()))
    assert {li.strong.get_text() for li in race_page.select(".elected-list li")} == elected
    assert {
        row.th.contents[0].strip() for row in race_page.select(".tally-table tr.is-elected")
    } == elected

    election_page = soup(client.get("/elections/senatoriales-2026/"))
    table = election_page.select(".results-table:not(.groups-table) tbody tr th")
    assert {cell.get_text(strip=True) for cell in table} == elected
    area = election_page.select_one('.results-map a.map-area[data-code="03"] title').get_text()
    assert "GENESTE" in area and "ROJOUAN" not in area

    box = soup(client.get(article.get_absolute_url())).select_one(".result-box")
    marked = {row.th.get_text(strip=True) for row in box.select("tr") if row.find("strong")}
    assert marked == elected

    api = json.loads(client.get("/api/elections/senatoriales-2026.json").content)
    constituency = next(c for c in api["constituencies"] if c["code"] == "03")
    assert {person["name"] for person in constituency["elected"]} == elected
    # The JSON keeps the Ministry's own record beside it, under its own name.
    outcomes = {t["candidate"]: t["official_outcome"] for t in constituency["rounds"][0]["tallies"]}
    assert outcomes["Bruno ROJOUAN"] == "elected" and outcomes["Loïc GENESTE"] != "elected"
