from urllib.parse import quote, urlencode

from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import ListView

from articles import search, structured_data
from articles.forms import SearchForm
from articles.models import Article, ArticleSlug, Author, PreviewLink, Tag, Theme

LATEST_COUNT = 8
THEME_BLOCK_COUNT = 4
RELATED_COUNT = 4
SEARCH_RESULTS_PER_PAGE = 10


def home(request):
    """The lead story, the latest articles, then one block per theme."""
    live = Article.objects.published().for_listing()
    lead = live.filter(is_lead=True).first() or live.first()
    latest = list(live.exclude(pk=getattr(lead, "pk", None))[:LATEST_COUNT])
    # The newest few of every theme in one query, whatever the number of themes.
    newest_by_theme = live.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("theme"),
            order_by=F("published_at").desc(),
        )
    ).filter(rank__lte=THEME_BLOCK_COUNT)
    blocks = {}
    for article in newest_by_theme:
        blocks.setdefault(article.theme, []).append(article)
    theme_blocks = sorted(blocks.items(), key=lambda item: (item[0].position, item[0].name))
    return render(
        request,
        "articles/home.html",
        {"lead": lead, "latest": latest, "theme_blocks": theme_blocks},
    )


class ArticleListView(ListView):
    paginate_by = 20
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


def article_detail(request, slug):
    article = Article.objects.published().for_detail().filter(slug=slug).first()
    if article is None:
        # An address the article had before its slug changed answers with a 301.
        old = ArticleSlug.objects.filter(slug=slug).select_related("article").first()
        if old is not None and old.article.is_live:
            return redirect(old.article, permanent=True)
        raise Http404("Aucun article à cette adresse.")
    return render(request, "articles/article_detail.html", article_context(request, article))


def article_context(request, article):
    """What the article page shows, for readers and for previews alike."""
    related = (
        Article.objects.published()
        .filter(theme=article.theme_id)
        .exclude(pk=article.pk)
        .for_cards()[:RELATED_COUNT]
    )
    url = request.build_absolute_uri(article.get_absolute_url())
    trail = [
        ("Accueil", reverse("articles:home")),
        (article.theme.name, article.theme.get_absolute_url()),
        (article.headline, article.get_absolute_url()),
    ]
    return {
        "article": article,
        "related": related,
        "share_links": share_links(url, article.headline),
        "current_theme_slug": article.theme.slug,
        "structured_data": [
            structured_data.news_article(article, request=request),
            structured_data.breadcrumbs(trail, request=request),
        ],
    }


def render_preview(request, article):
    """The article as readers will see it, marked as a preview, never cached nor indexed."""
    response = render(
        request,
        "articles/article_detail.html",
        {**article_context(request, article), "is_preview": True},
    )
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_link(request, token):
    """An unpublished article shown to someone without an account, through a secret link."""
    link = get_object_or_404(PreviewLink.objects.select_related("article"), token=token)
    if not link.is_valid:
        response = render(request, "articles/preview_expired.html", status=410)
        add_never_cache_headers(response)
        return response
    article = get_object_or_404(Article.objects.not_in_trash().for_detail(), pk=link.article_id)
    return render_preview(request, article)


def share_links(url, title):
    """Plain links to share a page: no third-party script runs on ours."""
    return [
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        ("E-mail", f"mailto:?subject={quote(title)}&body={quote(url)}"),
    ]


class FilteredListView(ListView):
    """A paginated list of live articles belonging to one theme, author or tag."""

    paginate_by = 12
    context_object_name = "articles"
    model_of_owner = None

    def get_queryset(self):
        self.owner = get_object_or_404(self.model_of_owner, slug=self.kwargs["slug"])
        return self.articles_of(self.owner).published().for_listing()

    def get_context_data(self, **kwargs):
        name = self.model_of_owner._meta.model_name
        return super().get_context_data(**{name: self.owner}, **kwargs)


class ThemeDetailView(FilteredListView):
    model_of_owner = Theme
    template_name = "articles/theme_detail.html"

    def articles_of(self, theme):
        return theme.articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_theme_slug=self.owner.slug, **kwargs)


class AuthorDetailView(FilteredListView):
    model_of_owner = Author
    template_name = "articles/author_detail.html"

    def articles_of(self, author):
        return author.articles

    def get_context_data(self, **kwargs):
        person = structured_data.person(self.owner, request=self.request)
        return super().get_context_data(structured_data=[person], **kwargs)


class TagDetailView(FilteredListView):
    model_of_owner = Tag
    template_name = "articles/tag_detail.html"

    def articles_of(self, tag):
        return Article.objects.filter(tags=tag)


class AuthorListView(ListView):
    context_object_name = "authors"
    template_name = "articles/author_list.html"

    def get_queryset(self):
        return Author.objects.with_published_articles()


def search_page(request):
    """Full-text search of live articles, narrowed by theme and dates, best match first."""
    form = SearchForm(request.GET)
    form.is_valid()  # a field in error shows its message; the valid ones still apply
    query = form.cleaned_data.get("q", "")
    words = search.query_words(query)
    page_obj, results = None, []
    if words:
        articles = search.matching(form.filter(Article.objects.published()), words)
        paginator = Paginator(articles.for_listing(), SEARCH_RESULTS_PER_PAGE)
        # get_page(): a page number out of range or mistyped shows a page, never an error.
        page_obj = paginator.get_page(request.GET.get("page"))
        results = [
            (article, search.highlight(article.headline, words), search.excerpt(article, words))
            for article in page_obj
        ]
    return render(
        request,
        "articles/search.html",
        {"form": form, "query": query, "words": words, "page_obj": page_obj, "results": results},
    )
