"""Never a 500: every address and form, sent odd values, answers with a page of ours.

The walk covers every URL pattern the project has (public pages, feeds, /elections/…,
/apercu/…, the whole admin), each parameter replaced in turn by a NUL character (a 500 on
PostgreSQL wherever it reached a query), an unknown id, a long string and an accented one.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.articles.test_article_admin import article_form
from tests.helpers import (
    make_article,
    make_author,
    make_image,
    make_senate_election,
    make_theme,
)

pytestmark = pytest.mark.django_db
ODD_VALUES = ["%00", "1", "999999", "x" * 300, "%C3%A9lection%20"]
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?\w+>")
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?[^()]*\)")


def routes(resolver=None, prefix=""):
    """Every URL pattern as one string, its parameters marked `{}`."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + as_template(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def as_template(route):
    route = route.removeprefix("^").removesuffix("$").replace("\\", "")
    return REGEX_GROUP.sub("{}", ROUTE_PARAMETER.sub("{}", route))


@pytest.fixture
def content():
    """One row of each kind, so that "1" reaches real pages."""
    make_article(authors=[make_author()], tags=["Sénat"])
    make_image()
    make_senate_election()


def test_every_address_with_odd_values_never_answers_500(content, admin_client):
    client = Client(raise_request_exception=False)
    admin_client.raise_request_exception = False
    failures = []
    templates = sorted(set(routes()))
    assert len(templates) > 100 and any(t.startswith("apercu/") for t in templates)
    for template in templates:
        visitor = admin_client if template.startswith("admin/") else client
        for value in ODD_VALUES:
            url = "/" + template.replace("{}", value)
            for method in ("get", "post"):
                if method == "post" and value not in ("%00", "1"):
                    continue
                status = getattr(visitor, method)(url).status_code
                if status >= 500:
                    failures.append(f"{method.upper()} {url[:80]} → {status}")
    assert failures == []


def test_trace_and_other_methods_we_never_serve_answer_405(client):
    for method in ("TRACE", "PUT", "DELETE", "PATCH", "CONNECT"):
        response = client.generic(method, "/")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, POST"
    assert client.generic("TRACE", "/static/newsroom/site.css").status_code == 405


def test_nul_characters_never_reach_the_database(content, client, admin_client):
    assert client.get("/elections/senatoriales-2026/%00/").status_code == 404
    assert client.get("/apercu/%00/").status_code == 404
    assert client.get("/recherche/", {"q": "s\x00nat", "thematique": "\x00"}).status_code == 200
    response = admin_client.get("/admin/articles/article/", {"q": "\x00", "o": "\x00"})
    assert response.status_code == 200
    client.cookies["sessionid"] = "\x00"
    assert client.get("/").status_code == 200


def test_a_form_posted_with_nul_characters_is_saved_without_them(content, admin_client):
    theme, author = make_theme(), make_author()
    data = article_form(theme=theme, authors=[author], headline="Le\x00 budget\x00")
    data["tags"] = "S\x00énat"
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302


def test_a_body_over_the_limit_gets_a_french_page_that_says_what_is_too_big(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    theme, author = make_theme(), make_author()
    data = article_form(theme=theme, authors=[author], body="<p>" + "x" * 2_000_000 + "</p>")
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        data,
        HTTP_REFERER="http://testserver/admin/articles/article/add/",
    )
    assert response.status_code == 400
    assert "dépasse 1 Mo" in response.text and "médiathèque" in response.text
    assert 'href="http://testserver/admin/articles/article/add/"' in response.text
    assert "Bad Request" not in response.text
