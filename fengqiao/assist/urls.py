from django.urls import path

from fengqiao.assist import views

app_name = "assist"

urlpatterns = [
    path("ask/", views.ask, name="ask"),
    path("cases/<int:pk>/proposals/", views.proposals, name="proposals"),
    path("cases/<int:pk>/pin/", views.pin, name="pin"),
    path("cases/<int:pk>/pins/<int:pin_id>/unpin/", views.unpin, name="unpin"),
    path("cases/<int:pk>/drafts/new/", views.start_draft, name="draft_new"),
    path("cases/<int:pk>/summary/", views.summary, name="summary"),
    path("drafts/<int:pk>/", views.draft_page, name="draft"),
    path("drafts/<int:pk>/sign/", views.sign, name="sign"),
    path("drafts/<int:pk>/verify/", views.verify, name="verify"),
    path("drafts/<int:pk>/document.<str:fmt>", views.download, name="download"),
    path("drafts/<int:pk>/wording/<str:field>/", views.wording, name="wording"),
]
