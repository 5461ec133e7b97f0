"""Typed shapes of the JSON API (the OpenAPI schema is generated from these)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict[str, str]] = []


class Countdown(Schema):
    rule: str
    label: str
    citation: str
    started_on: dt.date
    due_on: dt.date
    days_left: int
    overdue: bool
    soon: bool
    estimated: bool
    extended: bool


class CaseOut(Schema):
    id: int
    number: str
    summary: str
    dispute_type: str
    dispute_type_label: str
    channel: str
    channel_label: str
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    tier: str
    tier_label: str
    admin_unit: int
    admin_unit_name: str
    handling_org: str
    received_at: dt.datetime
    countdown: Countdown | None
    risk_level: str
    risk_level_label: str
    is_demo: bool


class CasePage(Schema):
    items: list[CaseOut]
    page: int
    size: int
    has_more: bool


class PartyOut(Schema):
    id: int
    role: str
    role_label: str
    kind: str
    name: str
    id_number: str
    org_code: str
    gender_label: str
    phone: str
    address: str
    language: str
    refuses_mediation: bool


class CaseDetailOut(CaseOut):
    place: str
    narrative: str
    address: str
    amount: Decimal | None
    people_involved: int
    mediator: str
    referred_by_org: str
    transfer_target: str
    transfer_target_label: str
    transferred_to_org: str
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    parties: list[PartyOut]
    sessions: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    performances: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    deadlines: list[Countdown]
    available_actions: list[dict[str, str]]


class TransitionOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    actor: str
    reason: str
    data: dict[str, Any]


class UnitOut(Schema):
    code: int
    name: str
    level: int
    parent: int | None = Field(None, alias="parent_id")


class MediatorOut(Schema):
    id: int
    name: str
    organisation: str
    specialties: list[str]
    languages: list[str]


class CountOut(Schema):
    status: str
    dispute_type: str
    n: int


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    admin_unit: int | None
    admin_unit_name: str
