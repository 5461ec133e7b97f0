from django.urls import path

from fengqiao.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.xlsx", views.report_download, name="report"),
    path("reports/<int:pk>.xlsx", views.stored_report, name="stored_report"),
]
