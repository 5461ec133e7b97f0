"""API robustness (issue 7.7): Schemathesis over the OpenAPI schema — every operation,
up to 100 generated requests each, half valid and half invalid, then the
stateful phase that chains operations through the links it infers — against the real
WSGI application and database, as a signed-in township officer with an API token.

Every response must: not be a server error; match the schema the operation declares
(status, content type, body); and never carry a stack trace or Django's debug page.
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from fengqiao.accounts.actions import issue_api_token
from fengqiao.core.testing import Personas, register

EXAMPLES = 100
TRACE_MARKERS = ("Traceback (most recent call last)", 'File "/', "django.core.exceptions", "Exception Value:")


def no_stack_trace(ctx: Any, response: Any, case: Any) -> bool | None:
    text = response.text if hasattr(response, "text") else response.content.decode(errors="replace")
    leaked = [m for m in TRACE_MARKERS if m in text]
    if leaked:
        raise AssertionError(f"stack trace in the response of {case.operation.label}: {leaked}")
    return None


CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance, no_stack_trace]


@pytest.fixture
def api_schema(personas: Personas) -> Iterator[Any]:
    from fengqiao.wsgi import application

    register(personas.village_mediator)  # some data for the reads to find
    # As Django's test client does: requests must not close the test's connection (its
    # transaction holds the data) — on PostgreSQL they would.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(personas: Personas) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(personas.township_officer, name='schemathesis')}"}


@pytest.mark.django_db
def test_every_operation(api_schema: Any, bearer: dict[str, str]) -> None:
    """Valid and invalid requests (positive and negative generation) for each operation."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    calls: Counter[str] = Counter()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES // 2,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:
                cache.clear()  # the per-user rate limit would otherwise answer 429 within a run
                case.call_and_validate(headers=bearer, checks=CHECKS)
                calls[case.operation.label] += 1

            run()
    print(f"{sum(calls.values())} requests over {len(calls)} operations")


@pytest.mark.django_db
def test_stateful_sequences(api_schema: Any, bearer: dict[str, str]) -> None:
    base = api_schema.as_state_machine()

    class Workflow(base):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": bearer}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            cache.clear()
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
