"""Where trained models live and how the serving process gets one.

Artifacts are files under ``MODEL_DIR/triage/`` (``var/models`` by default) named by version, with a pointer
file per taxonomy naming the current one. A process loads the current model once
and keeps it (load ≤ 2 s). With no artifact yet (a fresh checkout), the first use
trains one from the data in the repository and saves it.
"""

import functools
import threading
from pathlib import Path

from django.conf import settings

from fengqiao.triage.classifier import TextClassifier, train
from fengqiao.triage.taxonomies import Taxonomy

_lock = threading.Lock()


def model_dir() -> Path:
    return Path(settings.MODEL_DIR) / "triage"


def _pointer(taxonomy: Taxonomy) -> Path:
    return model_dir() / f"{taxonomy.value}.current"


def path_for(version: str) -> Path:
    return model_dir() / f"{version}.joblib"


def save(model: TextClassifier) -> Path:
    path = path_for(model.version)
    model.save(path)
    tmp = _pointer(model.taxonomy).with_suffix(".tmp")
    tmp.write_text(model.version)
    tmp.replace(_pointer(model.taxonomy))
    current.cache_clear()
    return path


@functools.cache
def current(taxonomy: Taxonomy) -> TextClassifier:
    """The model in service for ``taxonomy`` (trained and saved on first use if none)."""
    with _lock:
        pointer = _pointer(taxonomy)
        if pointer.exists():
            path = path_for(pointer.read_text().strip())
            if path.exists():
                return TextClassifier.load(path)
        model = train(taxonomy)
        save(model)
        return model
