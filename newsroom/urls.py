from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from newsroom import views

admin.site.site_header = f"{settings.SITE_NAME} — rédaction"
admin.site.site_title = f"{settings.SITE_NAME} — rédaction"
admin.site.index_title = "Tableau de bord"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("articles.urls")),
]
if settings.SERVE_MEDIA:
    # Uploaded files, when no front server or object store serves them.
    urlpatterns.append(
        re_path(r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")), views.media)
    )

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
