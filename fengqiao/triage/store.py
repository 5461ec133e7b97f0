"""Where trained models live and how the serving process gets one.

Artifacts are files under ``MODEL_DIR/triage/`` (``var/models`` by default) named by
version, with a pointer file per kind (consult, mediation, risk) naming the current
one. A process loads the current model once and keeps it (load ≤ 2 s). With no
artifact yet (a fresh checkout), the first use trains one from the data in the
repository and saves it.
"""

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from fengqiao.core.files import scratch_for
from fengqiao.triage.taxonomies import Taxonomy

if TYPE_CHECKING:  # the learning libraries load on first use, not at start-up
    from fengqiao.triage import classifier, risk_model

_lock = threading.Lock()
RISK = "risk"


def model_dir() -> Path:
    return Path(settings.MODEL_DIR) / "triage"


def _pointer(kind: str) -> Path:
    return model_dir() / f"{kind}.current"


def path_for(version: str) -> Path:
    return model_dir() / f"{version}.joblib"


def _kind(model: Any) -> str:
    from fengqiao.triage import risk_model

    return RISK if isinstance(model, risk_model.RiskModel) else str(model.taxonomy.value)


def save(model: "classifier.TextClassifier | risk_model.RiskModel") -> Path:
    path = path_for(model.version)
    model.save(path)
    pointer = _pointer(_kind(model))
    tmp = scratch_for(pointer)
    tmp.write_text(model.version)
    tmp.replace(pointer)
    _current.cache_clear()
    return path


@functools.cache
def _current(kind: str) -> Any:
    from fengqiao.triage import classifier, risk_model

    with _lock:
        pointer = _pointer(kind)
        load = risk_model.RiskModel.load if kind == RISK else classifier.TextClassifier.load
        if pointer.exists():
            path = path_for(pointer.read_text().strip())
            if path.exists():
                return load(path)
        model = risk_model.train() if kind == RISK else classifier.train(Taxonomy(kind))
        save(model)
        return model


def current(taxonomy: Taxonomy) -> "classifier.TextClassifier":
    """The text classifier in service for ``taxonomy``."""
    model: classifier.TextClassifier = _current(taxonomy.value)
    return model


def risk_outdated() -> bool:
    """The risk model in service was trained on other narratives than the repository's
    (after an upgrade that brought new training data; it learns from nothing else)."""
    from fengqiao.triage import risk_model

    pointer = _pointer(RISK)
    return pointer.exists() and pointer.read_text().strip() != risk_model.data_version()


def current_risk() -> "risk_model.RiskModel":
    model: risk_model.RiskModel = _current(RISK)
    return model
