"""The editors' site, with a dashboard on its home page."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

from articles.models import Article

DASHBOARD_COUNT = 10


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Séance publique — rédaction"
    site_title = "Séance publique — rédaction"
    index_title = "Tableau de bord"

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard(request), **(extra_context or {})})


def dashboard(request):
    """What waits for review, what is scheduled, what went out today; a journalist's own."""
    user = request.user
    if not user.has_perm("articles.view_article"):
        return {}
    now = timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    articles = Article.objects.not_in_trash().editable_by(user)
    articles = articles.select_related("theme").order_by("-updated_at")
    return {
        "dashboard": [
            ("En attente de relecture", articles.filter(status=Article.Status.REVIEW)),
            ("Programmés", articles.scheduled().order_by("published_at")),
            (
                "Publiés aujourd’hui",
                articles.published()
                .filter(published_at__gte=start_of_day)
                .order_by("-published_at"),
            ),
            (
                "Brouillons modifiés cette semaine",
                articles.filter(
                    status=Article.Status.DRAFT, updated_at__gte=now - timedelta(days=7)
                ),
            ),
        ],
        "dashboard_count": DASHBOARD_COUNT,
    }
