"""The learned half of risk assessment: one logistic model per flag over character
n-grams, trained on the team-written narratives of ``data/risk_train.jsonl``.

Rules (``risk.py``) are precise but cannot foresee every way people say things; the
model generalises from examples. A flag is raised when either raises it. Each
flag's threshold is chosen on the training data by 5-fold cross-validation to
maximise F2 (recall weighted over precision: a missed threat costs more than an
extra look), then raised together while the cross-validated high-risk recall stays at
the target (``train``). ``risk_testset.jsonl`` is never used here.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import fbeta_score
from sklearn.model_selection import cross_val_predict

from fengqiao.triage import persist
from fengqiao.triage.normalize import normalise
from fengqiao.triage.risk import Flag

TRAIN_FILE = Path(__file__).resolve().parent / "data" / "risk_train.jsonl"
GATHERING = "gathering"  # not a flag, but the level rule needs it (RISK_GUIDE §Level)
FORMAT = 1


@dataclass
class RiskScores:
    """Probabilities per flag (and for gathering) for one text, with the thresholds."""

    probs: dict[str, float]
    thresholds: dict[str, float]

    def raised(self) -> list[Flag]:
        return [Flag(f) for f in self.probs if f != GATHERING and self.probs[f] >= self.thresholds[f]]

    @property
    def gathering(self) -> bool:
        return self.probs[GATHERING] >= self.thresholds[GATHERING]


class RiskModel:
    def __init__(
        self,
        vectorizer: TfidfVectorizer,
        models: dict[str, LogisticRegression],
        thresholds: dict[str, float],
        version: str,
    ) -> None:
        self.vectorizer = vectorizer
        self.models = models
        self.thresholds = thresholds
        self.version = version

    def score(self, normalised_texts: list[str]) -> list[RiskScores]:
        matrix = self.vectorizer.transform(normalised_texts)
        probs = {name: model.predict_proba(matrix)[:, 1] for name, model in self.models.items()}
        return [
            RiskScores({name: round(float(p[i]), 4) for name, p in probs.items()}, self.thresholds)
            for i in range(len(normalised_texts))
        ]

    def save(self, path: Path) -> None:
        persist.dump(self, path)

    @staticmethod
    def load(path: Path) -> "RiskModel":
        model = persist.load(path)
        assert isinstance(model, RiskModel)
        return model


def _targets(rows: list[dict[str, object]]) -> dict[str, np.ndarray]:
    out = {f.value: np.array([f.value in r["flags"] for r in rows]) for f in Flag}  # type: ignore[operator]
    out[GATHERING] = np.array([bool(r.get("gathering")) for r in rows])
    return out


TARGET_RECALL = 0.95  # the target for high-risk recall, met in cross-validation on the training set


def train() -> RiskModel:
    """Fit one model per flag; choose thresholds by cross-validation on the training set.

    Each flag starts from the threshold that maximises its F2; then all thresholds are
    scaled up together as far as the high-risk recall of the whole assessment (rules
    and model, level by the guide) stays at TARGET_RECALL, which buys precision.
    """
    from fengqiao.triage.risk import Level, assess

    rows = [json.loads(line) for line in TRAIN_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [normalise(str(r["text"])).text for r in rows]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    models, f2, cv = {}, {}, {}
    grid = np.arange(0.05, 0.95, 0.01)
    for name, y in _targets(rows).items():
        model = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
        cv[name] = cross_val_predict(model, matrix, y, cv=5, method="predict_proba")[:, 1]
        f2[name] = float(max(grid, key=lambda t: fbeta_score(y, cv[name] >= t, beta=2)))
        models[name] = model.fit(matrix, y)
    gold = np.array([r["level"] == Level.HIGH for r in rows])

    def recall(scale: float) -> float:
        thresholds = {k: min(0.95, v * scale) for k, v in f2.items()}
        pred = np.array(
            [
                assess(text, None, RiskScores({k: float(cv[k][i]) for k in cv}, thresholds)).level
                == Level.HIGH
                for i, text in enumerate(texts)
            ]
        )
        return float((pred & gold).sum() / gold.sum())

    scale = 1.0
    for candidate in np.arange(1.0, 3.0, 0.05):
        if recall(float(candidate)) < TARGET_RECALL:
            break
        scale = float(candidate)
    thresholds = {k: round(min(0.95, v * scale), 3) for k, v in f2.items()}
    return RiskModel(vectorizer, models, thresholds, data_version())


def data_version() -> str:
    """The version a model trained now would have: it names the training file's content."""
    digest = hashlib.sha256(f"{FORMAT}:{TARGET_RECALL}".encode() + TRAIN_FILE.read_bytes()).hexdigest()[:10]
    return f"risk-{digest}"
