"""The lexical search index: BM25 indexes (bm25s) over every numbered article.

One index holds rjieba words, the other character bigrams (see ``tokens``); each
document is the article's text prefixed by its law's short name, chapter and section,
so a query that says 劳动合同 or 离婚 also matches by where the article sits, and
followed by the situations the team wrote in lay words for the articles grassroots
disputes turn on (``vocabulary.situations``), so that a record saying
男人出门打工三年没回过屋 finds the article that says 分居满二年.
Scores come from bm25s's precomputed sparse matrix, read directly so that each query
term can carry its own weight (lay words and their statute terms, see ``vocabulary``).

A term is also scored as if each law were a corpus of its own (``Field.score_within_laws``):
保险公司 is a rare word in the statute book but says nothing about which article of the
保险法 is meant, so within a law it weighs what it weighs there.

Built by `fengqiao statutes index` (or on first use) in about 15 s, saved under
``MODEL_DIR/statutes/`` in a folder named by a fingerprint of the corpus and of this
module's ``FORMAT`` (which also names the dense vectors, see ``dense``) and by a digest
of the situations file, and memory-mapped when loaded (≈0.1 s).
"""

import functools
import hashlib
import json
import logging
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
from django.conf import settings

from fengqiao.core.files import TMP, scratch_for
from fengqiao.statutes import catalogue, source, tokens, vocabulary
from fengqiao.statutes.catalogue import ArticleEntry, Catalogue

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG, which the root console handler would print on every build
logging.getLogger("bm25s").setLevel(logging.WARNING)
FORMAT = 4  # bump when tokens, document fields or the documents indexed change
# Documents without article numbers that are law in their own right: a legislative
# interpretation, or a decision of the NPC (Standing Committee) such as 关于加强网络信息保护的决定.
# Amendments (修正案) and amending decisions (修改决定) are not searched: what they say is
# already in the consolidated text of the law they amend.
WHOLE_DOCUMENTS = frozenset({"立法解释", "法律"})
_lock = threading.Lock()


def statutes_dir() -> Path:
    return Path(settings.MODEL_DIR) / "statutes"


def fingerprint(cat: Catalogue) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{source.VERSION}|{len(cat.laws)}|{len(cat.articles)}".encode())
    for a in cat.articles[:: max(1, len(cat.articles) // 200)]:
        digest.update(f"{a.key}:{a.number}:{a.status}:{len(a.text)}".encode())
    return digest.hexdigest()[:16]


def folder(cat: Catalogue) -> Path:
    return statutes_dir() / f"index-{fingerprint(cat)}-{vocabulary.situations_digest()}"


def document(a: ArticleEntry, cat: Catalogue) -> str:
    law = cat.laws[a.law]
    return " ".join((law.short_name, a.chapter, a.section, a.text, *situations(a, cat)))


def situations(a: ArticleEntry, cat: Catalogue) -> tuple[str, ...]:
    return vocabulary.situations_of(cat.laws[a.law].short_name, a.number, sub=a.sub, in_force=a.is_effective)


@dataclass
class Field:
    """One BM25 index read as a sparse term → (documents, scores) table."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    vocab: dict[str, int]

    @classmethod
    def of(cls, model: bm25s.BM25) -> "Field":
        s = model.scores
        return cls(np.asarray(s["data"]), np.asarray(s["indices"]), np.asarray(s["indptr"]), model.vocab_dict)

    def _postings(self, weights: dict[str, float]) -> Iterator[tuple[float, np.ndarray, np.ndarray]]:
        """Per known query term: its weight, the documents holding it and their stored scores."""
        for term, w in weights.items():
            t = self.vocab.get(term)
            if t is not None:
                lo, hi = self.indptr[t], self.indptr[t + 1]
                yield w, self.indices[lo:hi], self.data[lo:hi]

    def score(self, weights: dict[str, float], n: int) -> np.ndarray:
        out = np.zeros(n, dtype=np.float32)
        for w, docs, stored in self._postings(weights):
            out[docs] += w * stored
        return out

    def score_within_laws(
        self, weights: dict[str, float], law_of: np.ndarray, law_sizes: np.ndarray
    ) -> np.ndarray:
        """BM25 with each term's IDF taken within the document's own law instead of the whole
        corpus: the stored score (IDF × term-frequency part) is rescaled by the ratio of the two
        IDFs (bm25s's default "lucene" IDF, ``log(1 + (N − df + 0.5) / (df + 0.5))``)."""
        out = np.zeros(len(law_of), dtype=np.float32)
        for w, docs, stored in self._postings(weights):
            laws = law_of[docs]
            overall = _idf(len(law_of), len(docs))
            within = _idf(law_sizes, np.bincount(laws, minlength=len(law_sizes)))
            out[docs] += w * stored * (within[laws] / overall)
        return out


def top(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values, best first, keeping only finite positive ones."""
    k = min(k, len(values))
    if k == 0:
        return np.array([], dtype=np.int64)
    best = np.argpartition(-values, k - 1)[:k]
    best = best[np.argsort(-values[best], kind="stable")]
    return best[np.isfinite(values[best]) & (values[best] > 0)]


def _idf(n: np.ndarray | int, df: np.ndarray | int) -> np.ndarray:
    return np.log1p((n - df + 0.5) / (df + 0.5))


@dataclass
class Index:
    """The two fields and, per indexed document, its article in the catalogue."""

    fingerprint: str
    articles: np.ndarray  # catalogue article index of each document
    law_of: np.ndarray  # catalogue law index of each document
    effective: np.ndarray  # bool: the article is in force
    words: Field
    bigrams: Field
    build_seconds: float = 0.0

    @property
    def size(self) -> int:
        return len(self.articles)

    @functools.cached_property
    def numbers(self) -> np.ndarray:
        """Each document's article number."""
        articles = catalogue.current().articles
        return np.array([articles[a].number for a in self.articles], dtype=np.int32)

    @functools.cached_property
    def law_sizes(self) -> np.ndarray:
        """The number of indexed articles of each law (by catalogue law index)."""
        return np.bincount(self.law_of).astype(np.float64)

    def per_law_max(self, scores: np.ndarray) -> np.ndarray:
        """Each document's law's best score, per document."""
        best = np.zeros(len(self.law_sizes), dtype=scores.dtype)
        np.maximum.at(best, self.law_of, scores)
        return best[self.law_of]


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index(corpus, show_progress=False)
    return model


def build(cat: Catalogue, path: Path | None = None) -> Index:
    """Tokenise every numbered article, index both fields and save them under ``path``."""
    started = time.perf_counter()
    docs = [a for a in cat.articles if a.number > 0 or cat.laws[a.law].doc_type in WHOLE_DOCUMENTS]
    texts = [document(a, cat) for a in docs]
    words = _bm25([tokens.words(t) for t in texts])
    bigrams = _bm25([tokens.bigrams(t) for t in texts])
    articles = np.array([a.index for a in docs], dtype=np.int32)
    law_of = np.array([a.law for a in docs], dtype=np.int32)
    effective = np.array([a.is_effective for a in docs], dtype=bool)
    fp = fingerprint(cat)
    index = Index(fp, articles, law_of, effective, Field.of(words), Field.of(bigrams))
    index.build_seconds = time.perf_counter() - started
    target = path or folder(cat)
    tmp = scratch_for(target)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    words.save(tmp / "words", show_progress=False)
    bigrams.save(tmp / "bigrams", show_progress=False)
    np.save(tmp / "articles.npy", articles)
    np.save(tmp / "law_of.npy", law_of)
    np.save(tmp / "effective.npy", effective)
    (tmp / "meta.json").write_text(
        json.dumps({"fingerprint": fp, "documents": len(docs), "build_seconds": index.build_seconds})
    )
    shutil.rmtree(target, ignore_errors=True)
    try:
        tmp.replace(target)
    except OSError:  # another process saved the same index first
        shutil.rmtree(tmp, ignore_errors=True)
    for old in target.parent.glob("index-*"):
        if old != target and old.is_dir() and not old.name.endswith(TMP):
            shutil.rmtree(old, ignore_errors=True)
    return index


def load(path: Path) -> Index:
    meta = json.loads((path / "meta.json").read_text())
    words = bm25s.BM25.load(path / "words", mmap=True, show_progress=False)
    bigrams = bm25s.BM25.load(path / "bigrams", mmap=True, show_progress=False)
    return Index(
        meta["fingerprint"],
        np.load(path / "articles.npy"),
        np.load(path / "law_of.npy"),
        np.load(path / "effective.npy"),
        Field.of(words),
        Field.of(bigrams),
        meta.get("build_seconds", 0.0),
    )


@functools.cache
def current() -> Index:
    """The index of the current corpus: loaded from disk, or built and saved when missing."""
    with _lock:
        cat = catalogue.current()
        path = folder(cat)
        if (path / "meta.json").exists():
            try:
                return load(path)
            except (OSError, ValueError, KeyError):
                log.warning("statute index at %s unreadable; rebuilding", path)
        return build(cat, path)
