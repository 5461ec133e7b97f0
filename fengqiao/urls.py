from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from fengqiao.api.main import api
from fengqiao.cases.models import Dispute


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and a cheap look at the database: which engine, and how many cases."""
    return JsonResponse({"status": "ok", "database": connection.vendor, "cases": Dispute.objects.count()})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("statutes/", include("fengqiao.statutes.urls")),
    path("assist/", include("fengqiao.assist.urls")),
    path("analytics/", include("fengqiao.analytics.urls")),
    path("dispatch/", include("fengqiao.dispatch.urls")),
    path("consultations/", include("fengqiao.legalaid.urls")),
    path("", include("fengqiao.web.urls")),
]
