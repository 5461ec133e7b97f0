"""Two-factor authentication (等保 level 3, GB/T 22239-2019 8.1.4.1 c: 身份鉴别 with two or
more techniques, one of them cryptographic): every staff and administrator account proves
a time-based one-time password (TOTP, RFC 6238) from an authenticator app after its
password. Citizens sign in with a password only.

django-otp keeps the devices and does the cryptography (with throttling of wrong codes
and refusal of a code already used); this module is the platform's one place that says
who needs a second factor, enrols a device and verifies a code.
"""

import base64

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fengqiao.accounts import audit
from fengqiao.accounts.choices import AuditResult, Role
from fengqiao.accounts.models import User


def required_for(user: object) -> bool:
    """Staff, partners and administrators need a second factor; citizens do not."""
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", "") != Role.CITIZEN


def verified(request: HttpRequest) -> bool:
    """This session has passed its second factor (or needs none)."""
    user = request.user
    return not required_for(user) or bool(getattr(user, "is_verified", lambda: False)())


def device_of(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if he has enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def pending_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled: created on first call, the same key until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it by hand (base32, in groups of four)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URI (scanned by the authenticator app)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2937"))


@transaction.atomic
def confirm(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Enrolment: the first correct code confirms the device and verifies this session."""
    user = request.user
    assert isinstance(user, User) and device.user_id == user.pk
    if not device.verify_token(_clean(token)):
        audit.record(user, "enrol_two_factor", user, result=AuditResult.FAILED)
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit.record(user, "enrol_two_factor", user)
    return True


def verify(request: HttpRequest, token: str) -> bool:
    """Sign-in: a correct code from the confirmed device verifies this session."""
    user = request.user
    assert isinstance(user, User)
    device = device_of(user)
    ok = device is not None and device.verify_token(_clean(token))
    if ok:
        otp_login(request, device)
    audit.record(user, "verify_two_factor", user, result=AuditResult.OK if ok else AuditResult.FAILED)
    return ok


def _clean(token: str) -> str:
    digits = "".join(ch for ch in token if not ch.isspace())
    return digits if digits.isascii() and digits.isdecimal() and len(digits) == 6 else "x"
