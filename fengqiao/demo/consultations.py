"""Demo consultations: questions from the team's written examples (triage/data, synthetic),
recorded at the demo township's and village's desks over the last 30 days, and a few left
online by the demo citizen for the township to call back, through the write paths, so each
carries a real triage proposal. Labelled ``is_demo``."""

import datetime as dt
import json
import random

from fengqiao.accounts.models import User
from fengqiao.legalaid.actions import CONSULTATION_CHANNELS, record_consultation, request_callback
from fengqiao.legalaid.models import Consultation
from fengqiao.triage.classifier import DATA_DIR

COUNT = 30
LEFT_ONLINE = 3  # of COUNT: left by the demo citizen, awaiting the township's call back
DEMO_PHONE = "13800000000"  # not a real subscriber's number


def create_demo_consultations(
    rng: random.Random, desks: list[User], citizen: User, township: int, now: dt.datetime
) -> int:
    with (DATA_DIR / "consult_synthetic_long.jsonl").open(encoding="utf-8") as f:
        questions = [json.loads(line)["text"] for line in f if line.strip()]
    made = []
    for i, question in enumerate(rng.sample(questions, COUNT)):
        if i < LEFT_ONLINE:
            c = request_callback(
                actor=citizen, question=question, admin_unit=township, asker_phone=DEMO_PHONE, consent=True
            )
        else:
            c = record_consultation(
                actor=rng.choice(desks), question=question, channel=rng.choice(CONSULTATION_CHANNELS).value
            )
        c.received_at = now - dt.timedelta(minutes=rng.randint(10, 30 * 24 * 60))
        c.is_demo = True
        made.append(c)
    Consultation.objects.bulk_update(made, ["received_at", "is_demo"])
    return len(made)
