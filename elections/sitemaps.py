"""The results pages for search engines: every election and every constituency it renews."""

from django.contrib.sitemaps import Sitemap

from elections.models import Election, Race


def last_change(*moments):
    return max(moment for moment in moments if moment)


class ElectionSitemap(Sitemap):
    def items(self):
        return Election.objects.order_by("slug")

    def lastmod(self, election):
        # The page changes with the election's own fields and with its results.
        return last_change(election.updated_at, election.results_updated_at)


class RaceSitemap(Sitemap):
    def items(self):
        return Race.objects.for_display().order_by("election__slug", "constituency__code")

    def lastmod(self, race):
        return last_change(race.updated_at, race.election.results_updated_at)


SITEMAPS = {"elections": ElectionSitemap, "races": RaceSitemap}
