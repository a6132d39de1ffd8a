from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomConfig(AppConfig):
    """The site itself: base templates, static files and the site-wide commands."""

    default = True
    name = "newsroom"
    verbose_name = "Site"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the newsroom's site (dashboard, undeletable accounts)."""

    default = False
    default_site = "newsroom.sites.NewsroomAdminSite"
