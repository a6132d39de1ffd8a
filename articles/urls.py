from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("thematiques/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme"),
    path("auteurs/", views.AuthorListView.as_view(), name="authors"),
    path("auteurs/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("recherche/", views.search_page, name="search"),
]
