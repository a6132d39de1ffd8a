from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The site itself: base templates, static files and the site-wide commands."""

    name = "newsroom"
    verbose_name = "Site"
