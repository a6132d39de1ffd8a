from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from articles.sitemaps import SITEMAPS, NewsSitemap
from elections.sitemaps import SITEMAPS as ELECTION_SITEMAPS
from newsroom import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS | ELECTION_SITEMAPS}, name="sitemap"),
    path(
        "sitemap-news.xml",
        sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/sitemap_news.xml"},
        name="sitemap-news",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("elections.urls")),
    path("", include("articles.urls")),
]
if settings.SERVE_MEDIA:
    # Uploaded files, when no front server or object store serves them.
    urlpatterns.append(
        re_path(r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")), views.media)
    )

handler400 = "newsroom.views.bad_request"
handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
