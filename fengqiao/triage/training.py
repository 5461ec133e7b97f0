"""Retraining: the team's examples and the statute weak labels, plus every label an
officer confirmed or corrected in the platform (the platform learns from its users)."""

from fengqiao.cases.models import Dispute
from fengqiao.triage import store
from fengqiao.triage.classifier import Example, train
from fengqiao.triage.models import Decision, ModelVersion, Proposal
from fengqiao.triage.taxonomies import Taxonomy

CONFIRMED_WEIGHT = 1.5  # a label an officer decided on counts more than a written example


def confirmed_examples(taxonomy: Taxonomy) -> list[Example]:
    """Dispute narratives with the type an officer confirmed or set (mediation taxonomy);
    consultations with the topic an officer confirmed or set (consultation taxonomy)."""
    if taxonomy == Taxonomy.CONSULT:
        from fengqiao.legalaid.actions import REMOVED
        from fengqiao.legalaid.models import Consultation

        asked = (
            Consultation.objects.filter(decision__in=[Decision.CONFIRMED, Decision.OVERRIDDEN])
            .exclude(question=REMOVED)
            .values_list("question", "topic")
        )
        return [Example(q, t, CONFIRMED_WEIGHT, "confirmed") for q, t in asked]
    decided = Proposal.objects.filter(decision__in=[Decision.CONFIRMED, Decision.OVERRIDDEN]).values_list(
        "dispute_id", "final"
    )
    finals = {pk: final.get("dispute_type") for pk, final in decided if final.get("dispute_type")}
    texts = Dispute.objects.filter(pk__in=finals).values_list("pk", "summary", "narrative")
    return [Example(f"{s}。{n}", finals[pk], CONFIRMED_WEIGHT, "confirmed") for pk, s, n in texts]


def retrain(taxonomy: Taxonomy) -> ModelVersion:
    extra = confirmed_examples(taxonomy)
    model = train(taxonomy, extra)
    path = store.save(model)
    counts = {"confirmed": 0, **model.trained_on}
    ModelVersion.objects.filter(taxonomy=taxonomy.value).update(is_active=False)
    record, _ = ModelVersion.objects.update_or_create(
        version=model.version,
        defaults={"taxonomy": taxonomy.value, "examples": counts, "path": str(path), "is_active": True},
    )
    return record


def retrain_risk() -> ModelVersion:
    from fengqiao.triage import risk_model

    model = risk_model.train()
    path = store.save(model)
    ModelVersion.objects.filter(taxonomy=store.RISK).update(is_active=False)
    record, _ = ModelVersion.objects.update_or_create(
        version=model.version,
        defaults={
            "taxonomy": store.RISK,
            "examples": {"synthetic": sum(1 for _ in risk_model.TRAIN_FILE.open(encoding="utf-8"))},
            "path": str(path),
            "is_active": True,
        },
    )
    return record
