"""Saving and loading trained models fast.

A vectoriser's vocabulary is a dict of some 200,000 n-grams; joblib unpickles it with
the pure-Python unpickler at about 2 s. The same terms stored as one numpy string
array (in index order) load in milliseconds and rebuild the dict in ~50 ms.
"""

from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from fengqiao.core.files import scratch_for


def _vectorisers(obj: Any) -> list[TfidfVectorizer]:
    found = []
    for value in vars(obj).values():
        if isinstance(value, TfidfVectorizer):
            found.append(value)
        elif hasattr(value, "transformer_list"):  # a FeatureUnion
            found.extend(t for _, t in value.transformer_list if isinstance(t, TfidfVectorizer))
    return found


def dump(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    vectorisers = _vectorisers(obj)
    saved = [v.vocabulary_ for v in vectorisers]
    try:
        for v in vectorisers:
            terms = np.empty(len(v.vocabulary_), dtype=object)
            for term, index in v.vocabulary_.items():
                terms[index] = term
            v.vocabulary_ = terms.astype(str)
            v.stop_words_ = None  # the pruned terms: large and never needed to transform
        tmp = scratch_for(path)
        joblib.dump(obj, tmp)
        tmp.replace(path)
    finally:
        for v, vocabulary in zip(vectorisers, saved, strict=True):
            v.vocabulary_ = vocabulary


def load(path: Path) -> Any:
    obj = joblib.load(path, mmap_mode=None)
    for v in _vectorisers(obj):
        terms = v.vocabulary_
        if isinstance(terms, np.ndarray):
            v.vocabulary_ = dict(zip(terms.tolist(), range(len(terms)), strict=True))
    return obj
