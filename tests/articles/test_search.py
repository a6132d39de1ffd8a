import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article, Tag
from tests.helpers import make_article, make_author, make_theme

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """make_article, with its search row written as when the admin's transaction commits."""

    def publish(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return make_article(**fields)

    return publish


@pytest.fixture
def reference(publish):
    """A story like the demo's reference page, and others that share some of its words."""
    politics = make_theme(name="Politique")
    story = publish(
        headline="Battue aux sénatoriales, la secrétaire d’État présente sa démission",
        seo_title="Sénatoriales 2023 : la secrétaire d’État battue en Nouvelle-Calédonie",
        standfirst=(
            "Seule membre du gouvernement candidate dimanche, elle a perdu au second tour "
            "face à un indépendantiste. Elle dénonce une « trahison » et démissionne."
        ),
        body=(
            "<p>La soirée électorale a tourné court pour la secrétaire d’État. Candidate en "
            "Nouvelle-Calédonie, où deux sièges de sénateur étaient à pourvoir, elle n’a pas "
            "convaincu un collège de 578 grands électeurs.</p>"
            "<p>Le premier siège a été attribué dès le premier tour. Au second, le candidat "
            "indépendantiste l’a emporté avec 307 voix contre 246.</p>"
            "<p>La candidate battue a aussitôt mis en cause le jeu des reports de voix et "
            "dénoncé une « trahison ».</p>"
            "<p>Dans la soirée, elle a présenté sa démission. Elle était la seule membre du "
            "gouvernement à se présenter à ces élections sénatoriales.</p>"
            "<p>Le scrutin tombe à un moment sensible : l’État, les loyalistes et les "
            "indépendantistes négocient l’avenir institutionnel de la Nouvelle-Calédonie.</p>"
        ),
        theme=politics,
        authors=[make_author(name="Anne Dupré")],
        tags=["Sénatoriales 2023", "Sénat", "Nouvelle-Calédonie", "Gouvernement"],
        published_at=datetime(2023, 9, 24, 18, 30, tzinfo=PARIS),
    )
    publish(
        headline=(
            "Nouvelle-Calédonie : après les sénatoriales, le dossier institutionnel reste ouvert"
        ),
        standfirst=(
            "L’élection de deux nouveaux sénateurs redessine la représentation de l’archipel, "
            "au moment où l’État et les partis cherchent un accord sur son avenir."
        ),
        body=(
            "<p>La Nouvelle-Calédonie envoie désormais un indépendantiste au Sénat. Il y "
            "siégera aux côtés d’un élu du premier tour.</p>"
            "<p>Les deux sortants s’étaient retirés après le premier tour. Battue au second, "
            "la secrétaire d’État a présenté sa démission.</p>"
            "<p>Les trois référendums organisés dans le cadre de l’accord de Nouméa ont tous "
            "vu le « non » à l’indépendance l’emporter.</p>"
            "<p>Un point cristallise les tensions : le corps électoral des élections "
            "provinciales, gelé depuis 2007.</p>"
        ),
        tags=["Nouvelle-Calédonie", "Sénatoriales 2023", "Outre-mer"],
        published_at=datetime(2023, 9, 26, 9, tzinfo=PARIS),
    )
    publish(
        headline="Sénatoriales 2023 : la droite et le centre conservent la majorité au Sénat",
        body="<p>Le Sénat reste à droite après le renouvellement de la série 2.</p>",
        theme=politics,
        published_at=datetime(2023, 9, 25, 8, tzinfo=PARIS),
    )
    publish(
        headline="Nouvelle-Calédonie : le corps électoral en débat",
        body="<p>Les indépendantistes et les loyalistes s’opposent sur le dégel.</p>",
        published_at=datetime(2024, 4, 2, 10, tzinfo=PARIS),
    )
    # The rest of the newsroom: relevance weighs rare words more, as on the real site.
    for subject in ["retraites", "budget", "écoles", "hôpitaux", "agriculture", "police"]:
        publish(headline=f"Le Parlement débat des {subject}", body=f"<p>Les {subject}.</p>")
    return story


def results(client, **params):
    response = client.get(reverse("articles:search"), params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    return [" ".join(h.get_text().split()) for h in soup.select(".search-result__headline")], soup


def test_senatoriales_caledonie_without_accents_finds_the_reference_story_first(client, reference):
    headlines, soup = results(client, q="senatoriales caledonie")
    assert headlines[0] == reference.headline
    # Every word is required: the two stories with only one of them are left out.
    assert len(headlines) == 2
    assert soup.select_one(".search-count").get_text(strip=True) == (
        "2 articles pour « senatoriales caledonie »"
    )


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("élections", "Le président du Sénat réélu après l’élection"),
        ("election", "Le président du Sénat réélu après l’élection"),
        ("senat", "Le président du Sénat réélu après l’élection"),
        ("SÉNATEURS", "Les sénateurs votent le budget"),
        ("sénateur", "Les sénateurs votent le budget"),
        ("oeuvre", "La mise en œuvre de la loi"),
    ],
)
def test_search_finds_other_forms_of_a_word_with_or_without_accents(client, publish, query, found):
    publish(headline="Le président du Sénat réélu après l’élection")
    publish(headline="Les sénateurs votent le budget")
    publish(headline="La mise en œuvre de la loi")
    assert found in results(client, q=query)[0]


def test_decomposed_accents_are_found_in_queries_and_in_the_index(client, publish):
    # "É" typed as "E" + U+0301 (a combining accent), as some keyboards send it.
    decomposed = unicodedata.normalize("NFD", "Élysée")
    publish(headline="Le président reçu à l’Élysée")
    publish(headline=f"Le chef du gouvernement à l’{decomposed} ce matin")
    headlines = results(client, q=decomposed)[0]
    assert sorted(headlines) == [
        "Le chef du gouvernement à l’Élysée ce matin",
        "Le président reçu à l’Élysée",
    ]
    assert results(client, q="Élysée")[0] == headlines


def test_search_finds_by_author_and_by_tag(client, publish):
    article = publish(
        headline="Le vote du budget",
        authors=[make_author(name="Anne Dupré")],
        tags=["Outre-mer"],
    )
    publish(headline="Le vote de la loi")
    assert results(client, q="dupre")[0] == [article.headline]
    assert results(client, q="Anne Dupré vote")[0] == [article.headline]
    assert results(client, q="outre-mer")[0] == [article.headline]


def test_equal_matches_come_newest_first(client, publish):
    now = timezone.now()
    for days in [3, 1, 2]:
        publish(headline=f"Budget rectificatif, jour {days}", published_at=now - timedelta(days))
    assert results(client, q="rectificatif")[0] == [
        "Budget rectificatif, jour 1",
        "Budget rectificatif, jour 2",
        "Budget rectificatif, jour 3",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_articles_readers_may_not_see_are_never_found(client, publish, fields):
    publish(headline="Le secret du rapport parlementaire", **fields)
    publish(headline="Le rapport parlementaire est publié")
    assert results(client, q="rapport parlementaire")[0] == ["Le rapport parlementaire est publié"]


def test_the_index_follows_edits_publishing_and_deletion(
    client, publish, django_capture_on_commit_callbacks
):
    article = publish(headline="Le Sénat examine la réforme")

    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Le Sénat adopte la loi de programmation"
        article.save()
    assert results(client, q="programmation")[0] == [article.headline]
    assert results(client, q="réforme")[0] == []

    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.UNPUBLISHED
        article.save()
    assert results(client, q="programmation")[0] == []

    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.PUBLISHED
        article.save()
    assert results(client, q="programmation")[0] == [article.headline]

    article.delete()
    others = [publish(headline="Programmation militaire") for _ in range(2)]
    Article.objects.filter(pk__in=[other.pk for other in others]).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_search")
        assert cursor.fetchone()[0] == 0


def test_bylines_and_tags_saved_after_the_article_are_indexed_on_commit(
    client, django_capture_on_commit_callbacks
):
    # make_article() saves the article, then its bylines and tags, as the admin does.
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(authors=[make_author(name="Inès Caron")], tags=["Retraites"])
    assert results(client, q="caron retraites")[0] == [article.headline]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 5000,
        '"',
        '"senat',
        "senat AND OR NOT",
        "NEAR(senat budget)",
        "headline:senat",
        "senat*",
        "-senat",
        "senat^2 {budget}",
        "(((",
        "'; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "🗳️ 😀",
        "le la les",
        "\x00senat\x1f",
        "sénat\u200b budget",
    ],
)
def test_odd_queries_get_a_calm_answer(client, admin_client, publish, query):
    publish(headline="Le Sénat vote le budget")
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    changelist = reverse("admin:articles_article_changelist")
    assert admin_client.get(changelist, {"q": query}).status_code == 200


def test_an_empty_query_shows_the_form_and_no_results(client, publish):
    publish()
    headlines, soup = results(client, q="")
    assert headlines == []
    assert soup.select_one("form.search-form[role=search] input[name=q]")
    assert not soup.select(".search-count")


def test_excerpts_are_escaped_and_highlight_the_words_found(client, publish):
    publish(
        headline="La commission mixte paritaire échoue",
        standfirst="Députés et <b>sénateurs</b> n’ont pas trouvé d’accord sur le budget.",
    )
    _, soup = results(client, q="senateur budget")
    excerpt = soup.select_one(".search-result__excerpt")
    assert [mark.get_text() for mark in excerpt.find_all("mark")] == ["sénateurs", "budget"]
    assert "<b>sénateurs</b>" in excerpt.get_text()  # shown as typed, not as markup
    assert not excerpt.find("b")


def test_excerpts_show_the_body_around_the_first_word_found(client, publish):
    filler = " ".join(["Les débats ont repris en séance."] * 20)
    publish(
        headline="Le projet de loi adopté",
        standfirst="Un texte très attendu.",
        body=f"<p>{filler} Le quorum n’était pas atteint. {filler}</p>",
    )
    _, soup = results(client, q="quorum")
    excerpt = soup.select_one(".search-result__excerpt").get_text()
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "quorum" in excerpt and len(excerpt.split()) <= search.EXCERPT_WORDS + 2


def test_results_can_be_narrowed_by_theme_and_dates(client, publish):
    politics, economy = make_theme(name="Politique"), make_theme(name="Économie")
    publish(headline="Budget : le vote de janvier", theme=politics,
            published_at=datetime(2024, 1, 15, 23, 30, tzinfo=PARIS))  # fmt: skip
    publish(headline="Budget : le vote de mars", theme=economy,
            published_at=datetime(2024, 3, 1, 0, 30, tzinfo=PARIS))  # fmt: skip
    assert results(client, q="budget", thematique=economy.slug)[0] == ["Budget : le vote de mars"]
    # Dates are Paris dates, as readers see them.
    assert results(client, q="budget", du="2024-03-01")[0] == ["Budget : le vote de mars"]
    assert results(client, q="budget", au="2024-01-15")[0] == ["Budget : le vote de janvier"]
    assert results(client, q="budget", du="2024-01-16", au="2024-02-29")[0] == []


def test_bad_filters_are_explained_and_the_others_still_apply(client, publish):
    theme = make_theme(name="Politique")
    publish(headline="Budget : le vote", theme=theme)
    headlines, soup = results(client, q="budget", thematique="nulle-part", du="demain", au="0")
    assert headlines == ["Budget : le vote"]
    assert len(soup.select(".search-form__error")) == 3
    headlines, soup = results(client, q="budget", du="2024-02-01", au="2024-01-01")
    assert "Cette date précède celle du début." in soup.select_one(".search-form__error").text


def test_pagination_keeps_the_query_and_filters(client, publish):
    theme = make_theme()
    for n in range(12):
        publish(headline=f"Amendement numéro {n}", theme=theme)
    headlines, soup = results(client, q="amendement", thematique=theme.slug)
    assert len(headlines) == 10
    next_page = soup.select_one(".pagination a[rel=next]")["href"]
    assert next_page == f"?q=amendement&thematique={theme.slug}&page=2"
    assert len(results(client, q="amendement", thematique=theme.slug, page="2")[0]) == 2
    assert len(results(client, q="amendement", page="99")[0]) == 2  # the last page
    assert len(results(client, q="amendement", page="x")[0]) == 10


def test_the_header_has_a_search_form_that_works_without_javascript(client):
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    form = soup.select_one("header form[role=search]")
    assert form["action"] == "/recherche/" and form["method"] == "get"
    field = form.select_one("input[name=q]")
    assert soup.select_one(f"label[for={field['id']}]").get_text() == "Rechercher un article"


def test_the_admin_search_uses_the_index_and_finds_drafts(admin_client, publish):
    draft = publish(headline="Brouillon sur les sénatoriales", status=Article.Status.DRAFT)
    publish(headline="Autre sujet")
    response = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "senatorial"})
    soup = BeautifulSoup(response.text, "html.parser")
    assert [a.get_text() for a in soup.select("#result_list tbody th a")] == [draft.headline]


def test_renaming_an_author_or_a_tag_in_the_admin_reindexes_their_articles(
    client, admin_client, publish
):
    author = make_author(name="Paul Girard")
    article = publish(authors=[author], tags=["Outre-mer"])
    tag = Tag.objects.get(name="Outre-mer")
    admin_client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {"name": "Paul Lenormand", "slug": author.slug, "job_title": "", "bio": ""},
    )
    admin_client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]),
        {"name": "Territoires ultramarins", "slug": tag.slug},
    )
    assert results(client, q="lenormand ultramarins")[0] == [article.headline]
    assert results(client, q="girard")[0] == []


def test_rebuilding_the_index_changes_nothing_and_can_run_twice(client, reference):
    before = results(client, q="senatoriales")[0]
    call_command("rebuild_search_index", verbosity=0)
    call_command("rebuild_search_index", verbosity=0)
    assert results(client, q="senatoriales")[0] == before


def results_with(count, publish):
    """`count` matching articles, each with `count` authors and tags."""
    authors = [make_author() for _ in range(count)]
    for n in range(count):
        publish(headline=f"Sénat, séance {n}", authors=authors, tags=[f"Mot {n}", "Sénat"])


@pytest.mark.parametrize("count", [1, 10])
def test_the_search_page_runs_a_fixed_number_of_queries(
    client, publish, django_assert_num_queries, count
):
    results_with(count, publish)
    with django_assert_num_queries(5):  # count, page, bylines, theme choices, navigation
        response = client.get(reverse("articles:search"), {"q": "senat"})
    assert response.text.count('class="search-result"') == count


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_articles_already_there_and_reverses():
    make_article(headline="Le Sénat adopte le budget", authors=[make_author(name="Zoé Martin")])
    call_command("migrate", "articles", "0002", verbosity=0)
    call_command("migrate", "articles", verbosity=0)
    matches = search.matching(Article.objects.published(), ["martin", "senat"])
    assert [article.headline for article in matches] == ["Le Sénat adopte le budget"]
