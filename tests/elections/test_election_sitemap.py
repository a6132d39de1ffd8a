from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from defusedxml import ElementTree

from elections.importers import import_results
from tests.articles.test_sitemaps import SITEMAP, absolute, urlset
from tests.helpers import feed_source, make_senate_election

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_every_election_and_constituency_page_is_listed(client):
    election = make_senate_election()
    locations = urlset(client, "/sitemap.xml")
    assert absolute("/elections/senatoriales-2026/") in locations
    races = [location for location in locations if location.count("/") == 6]
    assert len(races) == 64  # the constituencies the 2026 renewal concerns
    assert absolute("/elections/senatoriales-2026/08/") in locations
    assert absolute("/elections/senatoriales-2026/988/") not in locations  # series 1
    assert election.races.count() == 64


def test_a_results_change_dates_the_pages_it_changes(client):
    with time_machine.travel(datetime(2026, 9, 1, 12, tzinfo=PARIS)):
        election = make_senate_election()
    with time_machine.travel(datetime(2026, 9, 27, 20, tzinfo=PARIS)):
        import_results(election=election, sources=[feed_source("R208.xml")])
    locations = urlset(client, "/sitemap.xml")

    def lastmod(path):
        return locations[absolute(path)].findtext(f"{SITEMAP}lastmod")

    assert lastmod("/elections/senatoriales-2026/") == "2026-09-27"
    assert lastmod("/elections/senatoriales-2026/08/") == "2026-09-27"


def test_the_sitemap_is_well_formed_xml_with_both_apps(client):
    make_senate_election()
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    assert root.tag == f"{SITEMAP}urlset"
