from django.urls import path

from fengqiao.dispatch import views

app_name = "dispatch"

urlpatterns = [
    path("cases/<int:pk>/", views.card, name="page"),
    path("cases/<int:pk>/card/", views.card, name="card"),
    path("cases/<int:pk>/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/objections/", views.objection, name="objection"),
    path("cases/<int:pk>/choices/", views.choice, name="choice"),
]
