"""The second sign-in step (accounts.two_factor): enrol an authenticator, then enter its code."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from fengqiao.accounts import two_factor
from fengqiao.accounts.models import User
from fengqiao.core import clock


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure())
    return wanted if safe else "/"


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if two_factor.verified(request):
        return redirect(_next(request))
    device = two_factor.device_of(user)
    enrolling = device is None
    if device is None:
        device = two_factor.pending_device(user)
    error = ""
    if request.method == "POST":
        allowed, why = device.verify_is_allowed()
        token = request.POST.get("code", "")
        if not allowed and why and why.get("locked_until"):
            wait = max(1, int((why["locked_until"] - clock.now()).total_seconds()) + 1)
            error = f"验证码错误次数过多，请 {wait} 秒后再试。"
        elif two_factor.confirm(request, device, token) if enrolling else two_factor.verify(request, token):
            return redirect(_next(request))
        else:
            error = "验证码不正确或已使用过，请输入身份验证器上当前显示的6位数字。"
    context = {"enrolling": enrolling, "error": error, "next": _next(request)}
    if enrolling:
        context |= {"qr": two_factor.qr_svg(device), "secret": two_factor.secret(device)}
    return render(request, "web/second_factor.html", context, status=400 if error else 200)
