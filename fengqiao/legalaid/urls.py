from django.urls import path

from fengqiao.legalaid import views

app_name = "legalaid"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.consultation, name="consultation"),
    path("<int:pk>/topic/", views.decide, name="decide"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("callback/", views.callback, name="callback"),
    path("mine/", views.mine, name="mine"),
]
