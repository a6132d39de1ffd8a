import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from elections.importers import import_results
from elections.ministry import Source
from elections.models import Constituency, Election, ParliamentaryGroup, Race, SeatAward, Senator
from newsroom.demo.elections import load_elections
from tests.helpers import feed_source, make_article, make_senate_election

pytestmark = pytest.mark.django_db


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def table_names(soup):
    return [
        row.th.get_text(strip=True)
        for row in soup.select(".results-table:not(.groups-table):not(.tally-table) tbody tr")
    ]


def map_links(soup):
    return {
        area["data-code"]: area
        for area in soup.select(".results-map a.map-area")
        if area.get("aria-hidden") != "true"
    }


@pytest.fixture
def demo():
    load_elections()
    return {election.year: election for election in Election.objects.all()}


def test_the_2026_page_shows_every_elected_and_a_full_senate(client, demo):
    soup = page(client.get("/elections/senatoriales-2026/"))
    assert len(table_names(soup)) == 178
    # The hemicycle draws one dot per seat: the renewed 178 and the 170 not renewed.
    assert len(soup.select(".hemicycle circle")) == 348
    assert soup.select_one(".groups-table tfoot td").get_text() == "348"
    links = map_links(soup)
    assert len(links) == 64
    assert links["01"]["href"] == "/elections/senatoriales-2026/01/"
    assert "Véronique BAUDE" in links["01"].title.get_text()
    # A seat dot per renewed seat, all of them known.
    seats = soup.select(".results-map a.map-area circle.map-seat")
    assert len([dot for dot in seats if "bloc-pending" not in dot["class"]]) == 178


def test_the_2023_page_shows_every_constituency_in_a_defined_state(client, demo):
    soup = page(client.get("/elections/senatoriales-2023/"))
    areas = soup.select(".results-map a.map-area")
    states = {
        area["data-code"]: next(c for c in area["class"] if c.startswith("map-area--"))
        for area in areas
    }
    renewed = {code for code, state in states.items() if state != "map-area--not_renewed"}
    assert len(renewed) == 45
    assert {states[code] for code in renewed} == {"map-area--filled"}
    nc = map_links(soup)["988"]
    assert "Georges NATUREL" in nc.title.get_text() and "Robert XOWIE" in nc.title.get_text()
    rows = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in soup.select(".results-table tbody tr")
        if row.th
    }
    assert rows["Georges NATUREL"][3] == "1er"
    assert rows["Robert XOWIE"][3] == "2d"


def test_the_new_caledonia_page_shows_both_rounds_and_the_thresholds(client, demo):
    soup = page(client.get("/elections/senatoriales-2023/988/"))
    assert soup.h1.get_text() == "Nouvelle-Calédonie"
    thresholds = soup.select_one(".thresholds").get_text(" ", strip=True)
    assert "soit 281 voix" in thresholds and "soit 145 voix" in thresholds
    rounds = soup.select(".tally-table")
    assert len(rounds) == 2
    first = [row.th.contents[0].strip() for row in rounds[0].select("tbody tr")]
    assert first[:3] == ["Georges NATUREL", "Robert XOWIE", "Sonia BACKÈS"]
    elected = [row.th.contents[0].strip() for row in soup.select(".tally-table tr.is-elected")]
    assert elected == ["Georges NATUREL", "Robert XOWIE"]
    second = rounds[1].select_one("tbody tr")
    assert [cell.get_text(strip=True) for cell in second.find_all("td")][:3] == [
        "307",
        "55,32\u202f%",
        "53,11\u202f%",
    ]
    assert "Battue aux sénatoriales" not in soup.text  # no article linked in this test


def test_the_json_agrees_with_the_database_the_map_and_the_table(client, demo):
    response = client.get("/api/elections/senatoriales-2026.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age=60" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["election"]["slug"] == "senatoriales-2026"
    assert len(data["constituencies"]) == 64
    from_json = sorted(e["name"] for c in data["constituencies"] for e in c["elected"])
    from_db = sorted(
        award.candidate.full_name
        for award in SeatAward.objects.filter(race__election=demo[2026]).select_related("candidate")
    )
    soup = page(client.get("/elections/senatoriales-2026/"))
    from_table = sorted(table_names(soup))
    from_map = sorted(
        dot_name
        for area in map_links(soup).values()
        for dot_name in [
            part.split(" (")[0] for part in area.title.get_text().split(" : ", 1)[1].split(", ")
        ]
    )
    assert from_json == from_db == from_table == from_map
    ardennes = next(c for c in data["constituencies"] if c["code"] == "08")
    assert [r["number"] for r in ardennes["rounds"]] == [1, 2]
    assert {e["name"]: e["round"] for e in ardennes["elected"]} == {
        "Else JOSEPH": 1,
        "Marc LAMÉNIE": 2,
    }


def test_the_json_answers_304_while_nothing_changed(client, demo):
    first = client.get("/api/elections/senatoriales-2026.json")
    again = client.get("/api/elections/senatoriales-2026.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_pages_are_renewed_when_results_change(client):
    election = make_senate_election()
    import_results(election=election, sources=[feed_source("R208.xml")])
    url = "/elections/senatoriales-2026/08/"
    assert "466" in client.get(url).text
    summary_before = client.get("/elections/senatoriales-2026/").text
    corrected = feed_source("R208.xml").data.replace(
        b"<NbVoix>466</NbVoix>", b"<NbVoix>470</NbVoix>"
    )
    import_results(election=election, sources=[Source("R208.xml", corrected)])
    assert "470" in client.get(url).text
    api = json.loads(client.get("/api/elections/senatoriales-2026.json").content)
    ardennes = next(c for c in api["constituencies"] if c["code"] == "08")
    laménie = next(t for t in ardennes["rounds"][1]["tallies"] if t["candidate"] == "Marc LAMÉNIE")
    assert laménie["votes"] == 470
    assert summary_before  # the page itself was served from the cache in between


def test_the_election_page_is_cached_until_the_results_change(client, django_assert_num_queries):
    election = make_senate_election()
    import_results(election=election, sources=[feed_source("R103.xml")])
    client.get("/elections/senatoriales-2026/")  # fills the cache
    with django_assert_num_queries(3):  # election, articles, navigation: no results query
        client.get("/elections/senatoriales-2026/")
    import_results(election=election, sources=[feed_source("R208.xml")])
    soup = page(client.get("/elections/senatoriales-2026/"))
    assert "Marc LAMÉNIE" in table_names(soup)


def senate(count):
    """An election with `count` constituencies' results and their senators."""
    election = make_senate_election(baseline_label="le Sénat sortant")
    names = ["R101.xml", "R103.xml", "R208.xml"][:count]
    import_results(election=election, sources=[feed_source(name) for name in names])
    group = ParliamentaryGroup.objects.create(chamber="senat", short_name="LR", name="LR")
    for number, constituency in enumerate(Constituency.objects.filter(series=1)[: count * 5]):
        Senator.objects.create(
            slug=f"s-{number}",
            first_name="Prénom",
            last_name=f"Nom {number}",
            group=group,
            constituency=constituency,
        )
    article = make_article(headline="Le Sénat renouvelé")
    article.elections.add(election)
    article.races.add(*Race.objects.filter(election=election, rounds__isnull=False).distinct())
    return election


# Queries per page, whatever the number of constituencies, candidates and senators.
@pytest.mark.parametrize("count", [1, 3])
def test_the_election_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    senate(count)
    # election, races, awards, constituencies, senators, groups, turnout, articles, nav
    with django_assert_num_queries(9):
        response = client.get("/elections/senatoriales-2026/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_race_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    senate(count)
    # race, rounds, tallies, lists, list candidates, awards, senators, articles, nav
    with django_assert_num_queries(9):
        response = client.get("/elections/senatoriales-2026/01/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_api_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    senate(count)
    # election, the six of the results, races, then the races' awards, rounds, tallies,
    # lists and list candidates
    with django_assert_num_queries(13):
        response = client.get("/api/elections/senatoriales-2026.json")
    assert response.status_code == 200


def test_the_race_page_lists_its_articles_and_the_article_shows_its_results(client):
    senate(3)
    article = make_article(headline="Dans les Ardennes, un siège au second tour")
    article.races.add(Race.objects.get(constituency__code="08"))
    soup = page(client.get("/elections/senatoriales-2026/08/"))
    assert "Dans les Ardennes, un siège au second tour" in soup.text
    soup = page(client.get(article.get_absolute_url()))
    box = soup.select_one(".result-box")
    assert box.h2.get_text(strip=True) == "Les résultats"
    assert [t.caption.get_text(strip=True) for t in box.select("table")] == [
        "Ardennes, premier tour",
        "Ardennes, second tour",
    ]
    assert box.select_one("a[href='/elections/senatoriales-2026/08/']")


def test_the_election_page_lists_live_articles_linked_to_it_or_its_races_once(client):
    election = make_senate_election()
    ardennes = Race.objects.get(election=election, constituency__code="08")
    both = make_article(headline="Lié à l’élection et aux Ardennes")
    both.elections.add(election)
    both.races.add(ardennes)
    make_article(headline="Lié aux Ardennes seulement").races.add(ardennes)
    draft = make_article(headline="Brouillon lié", status="draft")
    draft.elections.add(election)
    make_article(headline="Sans lien")
    soup = page(client.get("/elections/senatoriales-2026/"))
    headlines = [a.get_text(strip=True) for a in soup.select(".card__headline a")]
    assert sorted(headlines) == ["Lié aux Ardennes seulement", "Lié à l’élection et aux Ardennes"]
    assert soup.select_one("#articles-about-title").get_text() == "Nos articles sur cette élection"


@pytest.mark.parametrize("count", [1, 3])
def test_an_article_with_results_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    senate(3)
    article = make_article()
    article.races.add(*Race.objects.filter(rounds__isnull=False).distinct()[:count])
    # article, bylines, tags, corrections, races, then the races' awards, rounds, tallies,
    # lists and list candidates, related, nav
    with django_assert_num_queries(12):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    # While the results version holds, the box costs the linked races' query alone.
    with django_assert_num_queries(7):
        response = client.get(article.get_absolute_url())
    assert "Les résultats" in response.text


def test_unknown_elections_and_constituencies_are_404(client):
    make_senate_election()
    assert client.get("/elections/nulle-part/").status_code == 404
    assert client.get("/elections/senatoriales-2026/988/").status_code == 404  # series 1
    assert client.get("/elections/senatoriales-2026/999/").status_code == 404
    assert client.get("/api/elections/nulle-part.json").status_code == 404


def test_the_elections_list_shows_the_newest_first(client, demo):
    soup = page(client.get(reverse("elections:list")))
    assert [a.get_text() for a in soup.select(".election-list a")] == [
        "Sénatoriales 2026",
        "Sénatoriales 2023",
    ]


def test_results_pages_carry_no_inline_script_or_style(client, demo):
    for url in [
        "/elections/",
        "/elections/senatoriales-2026/",
        "/elections/senatoriales-2023/988/",
    ]:
        soup = page(client.get(url))
        assert not soup.select("[style]") and not soup.find_all("style")
        assert all(
            script.get("src") or script.get("type") == "application/ld+json"
            for script in soup.find_all("script")
        )
