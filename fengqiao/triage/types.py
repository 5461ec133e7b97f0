"""The plain data of triage, importable without the machine-learning libraries (so that
the web process starts fast and loads scikit-learn only when it first classifies)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    weight: float = 1.0
    origin: str = "synthetic"


@dataclass
class Prediction:
    label: str
    label_name: str
    confidence: float
    reasons: list[str]
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    needs_review: bool = False
