from django.urls import path

from elections import views

app_name = "elections"
urlpatterns = [
    path("elections/", views.ElectionListView.as_view(), name="list"),
    path("elections/<slug:slug>/", views.election_detail, name="detail"),
    path("elections/<slug:slug>/<str:code>/", views.race_detail, name="race"),
    path("api/elections/<slug:slug>.json", views.election_api, name="api"),
]
