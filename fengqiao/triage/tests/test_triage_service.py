"""Triage in the platform: at intake, in the background after imports, through the API
and the command line; proposals are explained, versioned and confirmed or overridden."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from fengqiao.cases.models import Dispute
from fengqiao.cases.schemas import DisputeIn
from fengqiao.core.errors import DomainError
from fengqiao.core.testing import Personas, dispute_payload, sign_in
from fengqiao.intake import actions as intake
from fengqiao.triage import actions, jobs
from fengqiao.triage.models import Decision, Proposal
from fengqiao.warning.models import Alert

pytestmark = pytest.mark.django_db


def submit(actor: Any, **overrides: Any) -> Dispute:
    return intake.submit_dispute(DisputeIn.model_validate(dispute_payload(**overrides)), actor=actor)


def test_intake_stores_a_versioned_explained_proposal_and_fills_a_missing_type(personas: Personas) -> None:
    d = submit(
        personas.village_mediator,
        dispute_type=None,
        summary="拖欠工资",
        narrative="张三在李四的工地干活三个月，老板拖欠工资一万二千元不给。",
    )
    p = d.triage_proposals.get()
    assert p.model_version.startswith("mediation-") and p.rules_version.startswith("rules-")
    assert d.dispute_type == p.dispute_type
    assert p.type_reasons and p.route_reasons
    assert d.risk_level == p.risk_level == "low"


def test_high_risk_dispute_is_flagged_and_alerts_the_responsible_officers(personas: Personas) -> None:
    d = submit(personas.village_mediator, narrative="被申请人提着菜刀追到申请人家门口，扬言要砍死他一家。")
    assert d.risk_level == "high"
    alert = Alert.objects.get(dispute=d)
    assert alert.owner_unit_id == d.admin_unit_id and "凶器" in alert.reason
    page = Client()
    sign_in(page, personas.township_officer)
    assert "高风险" in page.get("/").content.decode()
    assert alert.title in page.get("/alerts/").content.decode()
    sign_in(page, personas.other_county_officer)
    assert alert.title not in page.get("/alerts/").content.decode()


def test_officer_confirms_in_one_click_or_overrides_with_a_reason(personas: Personas) -> None:
    d = submit(personas.village_mediator)
    p = d.triage_proposals.get()
    with pytest.raises(DomainError, match="理由"):
        actions.decide_proposal(p, actor=personas.township_officer, dispute_type="contract")
    actions.decide_proposal(
        p, actor=personas.township_officer, dispute_type="contract", note="实为借用合同纠纷"
    )
    p.refresh_from_db()
    d.refresh_from_db()
    assert p.decision == Decision.OVERRIDDEN and p.decided_by == personas.township_officer
    assert d.dispute_type == "contract"
    step = d.transitions.get(action="reclassify")
    assert step.reason == "实为借用合同纠纷" and step.data["changes"]["dispute_type"][1] == "contract"

    other = submit(personas.village_mediator)
    c = Client()
    sign_in(c, personas.village_mediator)
    assert c.post(f"/cases/{other.pk}/triage/").status_code == 302
    assert other.triage_proposals.get().decision == Decision.CONFIRMED


def test_imports_are_triaged_in_the_background_job(personas: Personas) -> None:
    from fengqiao.core.testing import VILLAGE
    from fengqiao.intake.importer import TEMPLATE_HEADERS, import_disputes

    header = ",".join(TEMPLATE_HEADERS)
    line = f"J-1,,来访,邻里,占道纠纷,王某拿着锄头追打李某，扬言要弄死他。,{VILLAGE},,,2,王某,,,,李某,,,"
    import_disputes("j.csv", (header + "\n" + line + "\n").encode(), actor=personas.township_officer)
    d = Dispute.objects.get(external_id="J-1")
    assert d.triage_pending and not d.triage_proposals.exists()
    assert jobs.drain() == 1
    d.refresh_from_db()
    assert not d.triage_pending and d.risk_level == "high"
    assert Proposal.objects.filter(dispute=d).count() == 1
    assert Alert.objects.filter(dispute=d).exists()
    assert jobs.triage_backlog() == 0


def test_api_triage_of_one_text(personas: Personas) -> None:
    c = Client()
    sign_in(c, personas.township_officer)
    r = c.post(
        "/api/v1/triage",
        data=json.dumps({"text": "我想離婚，孩子撫養權歸誰？", "taxonomy": "consult"}),
        content_type="application/json",
    )
    body = r.json()
    assert r.status_code == 200
    assert body["topic"] == "婚姻家庭" and body["topic_reasons"]
    assert body["risk_level"] in ("low", "medium", "high") and body["model_version"]
    empty = c.post("/api/v1/triage", data=json.dumps({"text": ""}), content_type="application/json").json()
    assert empty["needs_review"] and empty["confidence"] == 0.0


def test_classify_command_keeps_order_and_ids(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [{"id": 7, "text": "公司拖欠我三个月工资"}, {"id": "b", "text": ""}, {"id": None, "text": "ཞིང་ཁ"}]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x, ensure_ascii=False) for x in lines)))
    call_command("triage", "classify", "--taxonomy", "consult")
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [7, "b", None]
    assert out[0]["label"] == "劳动纠纷" and 0 <= out[0]["confidence"] <= 1
    assert out[2]["confidence"] == 0 and "藏文" in out[2]["reasons"][0]


def test_risk_command(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(json.dumps({"id": 1, "text": "他说要喝农药死在村委会门口"}, ensure_ascii=False)),
    )
    call_command("triage", "risk")
    out = json.loads(capsys.readouterr().out)
    assert out["level"] == "high" and "self_harm" in out["flags"]


def test_retrain_learns_from_what_officers_confirmed(
    personas: Personas, tmp_path: Any, settings: Any
) -> None:
    from fengqiao.triage.models import ModelVersion

    settings.MODEL_DIR = tmp_path
    d = submit(personas.village_mediator, narrative="两家为了屋后竹林的归属吵了起来，都说是自家祖上栽的。")
    actions.decide_proposal(
        d.triage_proposals.get(), actor=personas.township_officer, dispute_type="forest_land", note="竹林权属"
    )
    out = io.StringIO()
    call_command("triage", "retrain", "--taxonomy", "mediation", stdout=out)
    record = ModelVersion.objects.get(is_active=True, taxonomy="mediation")
    assert record.examples["confirmed"] == 1 and record.examples["synthetic"] > 1000
    assert record.version in out.getvalue()
    assert (tmp_path / "triage" / f"{record.version}.joblib").exists()


def test_eval_command_prints_accuracy_f1_and_confusion(tmp_path: Any) -> None:
    f = tmp_path / "set.jsonl"
    f.write_text(
        "\n".join(
            json.dumps(x, ensure_ascii=False)
            for x in [
                {"text": "我要离婚，孩子抚养权怎么判", "label": "婚姻家庭"},
                {"text": "被车撞了保险公司不赔", "label": "交通事故"},
            ]
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("triage", "eval", "--taxonomy", "consult", str(f), stdout=out)
    text = out.getvalue()
    assert "accuracy 1.000" in text and "macro-F1" in text and "confusion matrix" in text


def test_a_risk_model_trained_on_older_narratives_is_outdated(tmp_path: Any, settings: Any) -> None:
    """After an upgrade brings new training narratives, ``bootstrap`` retrains the risk model."""
    from fengqiao.triage import risk_model, store

    settings.MODEL_DIR = tmp_path
    assert not store.risk_outdated()  # nothing in service yet: the first use trains
    (tmp_path / "triage").mkdir()
    (tmp_path / "triage" / "risk.current").write_text("risk-0000000000")
    assert store.risk_outdated()
    (tmp_path / "triage" / "risk.current").write_text(risk_model.data_version())
    assert not store.risk_outdated()
