"""Text classifiers for the two taxonomies: consultation topic and dispute type.

A linear model over TF-IDF features of the normalised text's character 1–3-grams
(robust to typos and unsegmented colloquial Chinese). It trains in
seconds on the CPU, answers thousands of texts a second, and explains itself: the
reasons for a label are the words that pushed the text towards it.

Training data (see ``DATA.md``): examples written by the team (``data/*_synthetic.jsonl``),
the articles of the statutes that govern each label as weak examples
(``taxonomies.STATUTE_SOURCES``), and labels officers confirmed in the platform.
The evaluation sets in ../shared/data are never read here.
"""

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import rjieba
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from fengqiao.statutes import source
from fengqiao.triage import persist
from fengqiao.triage.normalize import Normalised, normalise
from fengqiao.triage.taxonomies import STATUTE_SOURCES, Taxonomy, label_name, labels
from fengqiao.triage.types import Example, Prediction

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT = 3  # bump when features or model change: it is part of the version
STATUTE_WEIGHT = 0.1
STATUTE_CHARS = 160
LOW_CONFIDENCE = 0.35
CUT_MIN, CUT_MAX = 15, 60  # where a cut-off question ends (characters)


def words(text: str) -> list[str]:
    """rjieba tokens without punctuation or spaces (module-level so the model pickles)."""
    return [w for w in rjieba.cut(text) if w.strip() and not _PUNCT.fullmatch(w)]


_PUNCT = re.compile(r"[\W_]+")


def synthetic_examples(taxonomy: Taxonomy) -> list[Example]:
    """The team's written examples: every ``data/<taxonomy>_synthetic*.jsonl`` file."""
    allowed = set(labels(taxonomy))
    out = []
    for path in sorted(DATA_DIR.glob(f"{taxonomy.value}_synthetic*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    if row["label"] in allowed:
                        out.append(Example(row["text"], row["label"], 1.0, "synthetic"))
    return out


def statute_examples(taxonomy: Taxonomy) -> list[Example]:
    """Weak examples: each governing article's opening words, labelled with the topic."""
    out = []
    for label, sources in STATUTE_SOURCES[taxonomy].items():
        for law, first, last in sources:
            for art in source.articles(law, first, last):
                if art.status == "已废止":
                    continue
                out.append(Example(art.text[:STATUTE_CHARS], str(label), STATUTE_WEIGHT, "statute"))
    return out


def cut_examples(examples: Sequence[Example]) -> list[Example]:
    """Each longer written question once more, cut off after 15–60 characters.

    Citizens' questions reach the platform cut short: a hotline operator's one-line
    summary, a web form's title field, an SMS, a message sent half-typed. The topic must be
    found from the opening alone, so the team's longer examples are also taught by their
    openings. The cut points are drawn with a fixed seed, so training is reproducible.
    """
    rnd = random.Random(1)
    out = []
    for e in examples:
        if len(e.text) > 2 * CUT_MIN:
            end = rnd.randint(CUT_MIN, min(CUT_MAX, len(e.text) - 5))
            out.append(Example(e.text[:end], e.label, e.weight, "synthetic-cut"))
    return out


class TextClassifier:
    """A trained model with its version; ``predict`` normalises, scores and explains."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        features: FeatureUnion,
        model: CalibratedClassifierCV,
        version: str,
        trained_on: dict[str, int] | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.features = features
        self.model = model
        self.version = version
        self.trained_on = trained_on or {}  # examples by origin (synthetic, statute, confirmed…)
        self.classes: list[str] = [str(c) for c in model.classes_]
        self.feature_names = np.array([n.split("__", 1)[1] for n in features.get_feature_names_out()])

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return self.predict_normalised([normalise(t) for t in texts])

    def predict_normalised(self, norms: Sequence[Normalised]) -> list[Prediction]:
        """Score texts already normalised (triage normalises once for all its parts)."""
        matrix = self.features.transform([n.text for n in norms]).tocsr()
        probs = self.model.predict_proba(matrix)
        best = probs.argmax(axis=1)
        out = []
        for i, norm in enumerate(norms):
            if not norm.readable:
                out.append(self._unreadable(norm.script))
                continue
            k = int(best[i])
            confidence = float(probs[i, k])
            runners = np.argsort(-probs[i])[1:3]
            lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
            out.append(
                Prediction(
                    label=self.classes[k],
                    label_name=label_name(self.taxonomy, self.classes[k]),
                    confidence=round(confidence, 4),
                    reasons=self._reasons(norm.text, matrix.indices[lo:hi], matrix.data[lo:hi], k),
                    alternatives=[(self.classes[int(j)], round(float(probs[i, j]), 4)) for j in runners],
                    needs_review=confidence < LOW_CONFIDENCE,
                )
            )
        return out

    def _unreadable(self, script: str) -> Prediction:
        why = {
            "tibetan": "文本为藏文，需人工或藏语翻译协助分类",
            "yi": "文本为彝文，需人工或彝语翻译协助分类",
            "none": "文本为空或不含可识别的中文内容",
        }.get(script, "可识别的中文内容过少")
        fallback = "综合咨询" if self.taxonomy == Taxonomy.CONSULT else "other"
        return Prediction(fallback, label_name(self.taxonomy, fallback), 0.0, [why], [], True)

    def _reasons(self, text: str, idx: np.ndarray, values: np.ndarray, cls: int, limit: int = 5) -> list[str]:
        """The words that pushed the text towards the chosen label.

        The strongest character n-grams are found in the text and overlapping ones are
        joined, so the reason reads “宅基地” rather than “宅基” and “基地”."""
        weights = self.model.calibrated_classifiers_[0].estimator.coef_
        coef = weights[cls] if weights.shape[0] > 1 else weights[0]
        contrib = values * coef[idx]
        spans: list[tuple[int, int, float]] = []
        for j in np.argsort(-contrib)[: limit * 3]:
            if contrib[j] <= 0:
                break
            term = str(self.feature_names[idx[j]])
            start = text.find(term)
            if len(term.strip()) < 2 or _PUNCT.search(term) or start < 0:
                continue
            spans.append((start, start + len(term), float(contrib[j])))
        merged: list[list[float]] = []
        for start, end, weight in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] += weight
            else:
                merged.append([start, end, weight])
        merged.sort(key=lambda m: -m[2])
        return [f"关键词“{text[int(a) : int(b)]}”" for a, b, _ in merged[:limit]]

    def save(self, path: Path) -> None:
        persist.dump(self, path)

    @staticmethod
    def load(path: Path) -> "TextClassifier":
        model = persist.load(path)
        assert isinstance(model, TextClassifier)
        return model


def _features() -> FeatureUnion:
    # Character 1–3-grams only: on the team's data, adding rjieba words did not help and
    # characters survive typos, dialect and the absence of word boundaries.
    return FeatureUnion(
        [
            (
                "c",
                # n-grams seen once say little and cost memory: min_df=2, at most 150,000
                TfidfVectorizer(
                    analyzer="char",
                    ngram_range=(1, 3),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=150_000,
                    dtype=np.float32,
                ),
            )
        ]
    )


def data_version(taxonomy: Taxonomy, examples: Iterable[Example]) -> str:
    h = hashlib.sha256(f"{taxonomy}:{FORMAT}".encode())
    for e in examples:
        h.update(f"{e.label}\x1f{e.weight}\x1f{e.text}\x1e".encode())
    return f"{taxonomy.value}-{h.hexdigest()[:10]}"


def train(taxonomy: Taxonomy, extra: Iterable[Example] = ()) -> TextClassifier:
    """Train on the team's examples, the statute weak labels and any ``extra`` (confirmed) ones.

    A linear SVM (trains in about a second) with sigmoid calibration fitted by 3-fold
    cross-validation, so that confidence is a probability; ``ensemble=False`` keeps one
    SVM trained on all data, whose weights explain each decision.
    """
    written = synthetic_examples(taxonomy)
    cut = cut_examples(written) if taxonomy == Taxonomy.CONSULT else []
    examples = written + cut + statute_examples(taxonomy) + list(extra)
    texts = [normalise(e.text).text for e in examples]
    y = [e.label for e in examples]
    weights = np.array([e.weight for e in examples])
    features = _features()
    matrix = features.fit_transform(texts)
    model = CalibratedClassifierCV(LinearSVC(C=0.5), cv=3, method="sigmoid", ensemble=False)
    model.fit(matrix, y, sample_weight=weights)
    svm = model.calibrated_classifiers_[0].estimator
    svm.coef_ = svm.coef_.astype(np.float32)  # half the memory; scores are unchanged to 1e-6
    trained_on = dict(Counter(e.origin for e in examples))
    return TextClassifier(taxonomy, features, model, data_version(taxonomy, examples), trained_on)


def evaluate(model: TextClassifier, texts: Sequence[str], gold: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 and the confusion matrix of ``model`` on a labelled set."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    pred = [p.label for p in model.predict(texts)]
    classes = list(labels(model.taxonomy))
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(f1_score(gold, pred, labels=classes, average="macro", zero_division=0)),
        "labels": classes,
        "confusion": confusion_matrix(gold, pred, labels=classes).tolist(),
        "predicted": pred,
    }
