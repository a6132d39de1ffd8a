from django.urls import path

from articles import feeds, views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("apercu/<str:token>/", views.preview_link, name="preview-link"),
    path("thematiques/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme"),
    path("thematiques/<slug:slug>/feed/", feeds.ThemeFeed(), name="theme-feed"),
    path("auteurs/", views.AuthorListView.as_view(), name="authors"),
    path("auteurs/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("auteurs/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("recherche/", views.search_page, name="search"),
]
