from django.contrib.auth import views as auth_views
from django.urls import path

from fengqiao.web import admin_views, two_factor_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/second-factor/", two_factor_views.second_factor, name="second_factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(template_name="web/password_change.html", success_url="/"),
        name="password_change",
    ),
    path("cases/new/", views.new_case, name="case_new"),
    path("cases/new/party-row/", views.party_row, name="party_row"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/<str:action>/", views.case_act, name="case_act"),
    path("cases/<int:pk>/agreement/", views.agreement_print, name="agreement_print"),
    path("cases/<int:pk>/agreement.docx", views.agreement_docx, name="agreement_docx"),
    path("units/options/", views.unit_options, name="unit_options"),
    path("cases/<int:pk>/triage/", views.triage_decide, name="triage_decide"),
    path("cases/<int:pk>/link/", views.link_related, name="link_related"),
    path("cases/<int:pk>/joint-session/", views.joint_session, name="joint_session"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_move, name="alert_move"),
    path("manage/users/", admin_views.users, name="admin_users"),
    path("manage/users/<int:pk>/active/", admin_views.user_active, name="admin_user_active"),
    path("manage/users/<int:pk>/password/", admin_views.user_password, name="admin_user_password"),
    path("manage/security/", admin_views.security, name="admin_security"),
    path("manage/security/<int:pk>/unlock/", admin_views.security_unlock, name="admin_security_unlock"),
    path("manage/security/<int:pk>/otp/", admin_views.security_reset_otp, name="admin_security_otp"),
    path(
        "manage/security/tokens/<int:pk>/revoke/", admin_views.security_revoke, name="admin_security_revoke"
    ),
    path("manage/audit/", admin_views.audit_log, name="admin_audit"),
    path("import/", views.import_cases, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
]
