from django.urls import path

from fengqiao.statutes import views

app_name = "statutes"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.results, name="search"),
    path("laws/<int:pk>/", views.law_detail, name="law"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("check/", views.check, name="check"),
]
