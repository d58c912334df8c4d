"""The one table of supported estimators x datasets, and of what must be refused.

Every test that needs fitted models takes them from here, so adding an estimator means adding
rows to ``CASES``. Ids read ``<family>-<Estimator>-<dataset>[-<variant>]``: ``pytest -k tree``
selects a family.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn import datasets
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)

from json_models import _compat, _fidelity
from json_models._datasets import BUNDLED, Dataset, bundled, split

# ---------------------------------------------------------------- datasets


def _inject_nans(X, y_signal, seed=0):
    """NaNs that carry information (so trees learn where missing values go, including
    +inf thresholds) plus NaNs at random."""
    rng = np.random.RandomState(seed)
    X = X.copy()
    X[y_signal & (rng.rand(len(X)) < 0.7), 0] = np.nan
    X[rng.rand(*X.shape) < 0.05] = np.nan
    return X


@functools.cache
def dataset(name: str) -> Dataset:
    """A dataset of the zoo: scikit-learn's bundled ones split as the demo splits them, and
    variants with several outputs or missing values, split alike."""
    if name in BUNDLED:
        return bundled(name)
    if name == "multi_regression":
        X, y = datasets.make_regression(
            n_samples=300, n_features=8, n_targets=3, noise=5.0, random_state=0
        )
        return split(X, y)
    if name == "multi_classification":
        X, y = datasets.load_iris(return_X_y=True)
        return split(X, np.c_[y, (X[:, 0] > 5.8).astype(int) + 2 * (X[:, 1] > 3.0)])
    if name == "multi_classification_wide":  # 20 outputs: the labels read as one 2-D array
        X, y = datasets.load_iris(return_X_y=True)
        cuts = np.quantile(X, np.linspace(0.2, 0.8, 5), axis=0)  # (5 cuts, 4 features)
        outputs = [(X[:, j] > cut[j]) * (k + 1) for k, cut in enumerate(cuts) for j in range(4)]
        return split(X, np.stack(outputs, axis=1))
    if name == "iris_nan":
        X, y = datasets.load_iris(return_X_y=True)
        return split(_inject_nans(X, y == 2), y)
    if name == "diabetes_nan":
        X, y = datasets.load_diabetes(return_X_y=True)
        X = X[:, [2, 0, 1, 3, 4, 5, 6, 7, 8, 9]]  # the informative column first
        return split(_inject_nans(X, y > 200), y)
    raise KeyError(name)


LABELS = {
    "int": lambda y: y,
    "str": lambda y: np.array(["class_" + str(v) for v in np.ravel(y)]).reshape(np.shape(y)),
    "bool": lambda y: y == np.max(y),
    # Several outputs whose labels differ in length ("0", "1" and "label", "labelsss"): one
    # string array for y, so every output's classes_ has the width of the longest label.
    "lengths": lambda y: np.array(
        [[str(v) if k == 0 else "label" + "s" * int(v) for k, v in enumerate(row)] for row in y]
    ),
}

# ---------------------------------------------------------------- cases


@dataclass
class Case:
    family: str
    make: object  # () -> unfitted estimator
    data: str
    labels: str = "int"  # classifiers only: how y is relabelled
    variant: str = ""
    tags: set = field(default_factory=set)
    needs: object = None  # () -> bool: whether the running scikit-learn can fit this case

    @property
    def id(self) -> str:
        est = self.make()
        parts = [self.family, type(est).__name__, self.data]
        if self.labels != "int":
            parts.append(self.labels)
        if self.variant:
            parts.append(self.variant)
        return "-".join(parts)


CLASSIFICATION = ("iris", "wine", "breast_cancer", "digits")


def _linear_cases():
    for cls in (LinearRegression, Ridge, Lasso, ElasticNet):
        for data in ("diabetes", "multi_regression"):
            yield Case("linear", cls, data)
            yield Case("linear", lambda c=cls: c(fit_intercept=False), data, variant="nointercept")


def _logistic_cases():
    make = lambda **kw: lambda: LogisticRegression(max_iter=300, **kw)  # noqa: E731
    for data in CLASSIFICATION:
        for labels in ("int", "str"):
            yield Case("logistic", make(), data, labels)
    yield Case("logistic", make(), "breast_cancer", "bool")
    yield Case("logistic", make(class_weight="balanced"), "wine", variant="balanced")
    yield Case("logistic", make(class_weight={0: 1.0, 1: 2.5, 2: 0.5}), "iris", variant="weights")
    yield Case(
        "logistic",
        make(class_weight={"class_0": 2.0, "class_1": 1.0}, fit_intercept=False),
        "breast_cancer",
        "str",
        variant="weights-nointercept",
    )
    # How decision values become probabilities depends on the solver, multi_class and the
    # version: newton-cholesky is one-vs-rest up to 1.5, multinomial from 1.6; multi_class
    # (and liblinear for more than two classes) is gone from 1.8.
    yield Case("logistic", make(solver="liblinear"), "breast_cancer", variant="liblinear")
    yield Case("logistic", make(solver="newton-cholesky"), "wine", "str", variant="newton")
    has_multi_class = lambda: "multi_class" in LogisticRegression().get_params()  # noqa: E731
    yield Case(
        "logistic", make(solver="liblinear"), "iris", variant="liblinear", needs=has_multi_class
    )
    for multi_class, data in (("ovr", "iris"), ("multinomial", "breast_cancer")):
        yield Case(
            "logistic",
            make(multi_class=multi_class),
            data,
            variant=multi_class,
            needs=has_multi_class,
        )


def _tree_cases():
    classifiers = {
        DecisionTreeClassifier: ("gini", "entropy", "log_loss"),
        ExtraTreeClassifier: ("gini", "entropy"),
    }
    regressors = {
        DecisionTreeRegressor: ("squared_error", "absolute_error", "poisson"),
        ExtraTreeRegressor: ("squared_error", "absolute_error"),
    }
    for cls, criteria in classifiers.items():
        make = lambda c=cls, **kw: lambda: c(random_state=0, **kw)  # noqa: E731
        for data in CLASSIFICATION:
            for labels in ("int", "str"):
                yield Case("tree", make(), data, labels)
        for criterion in criteria[1:]:
            yield Case("tree", make(criterion=criterion), "wine", variant=criterion)
        yield Case("tree", make(max_depth=3), "breast_cancer", "bool", variant="depth3")
        yield Case("tree", make(), "multi_classification")
        yield Case("tree", make(), "multi_classification", "str")
        yield Case("tree", make(), "multi_classification", "lengths")
        yield Case("tree", make(), "multi_classification_wide")
        yield Case("tree", make(), "iris_nan", tags={"nan"})
        yield Case("tree", make(), "iris_nan", "str", tags={"nan"})
    for cls, criteria in regressors.items():
        make = lambda c=cls, **kw: lambda: c(random_state=0, **kw)  # noqa: E731
        yield Case("tree", make(), "diabetes")
        for criterion in criteria[1:]:
            yield Case(
                "tree", make(criterion=criterion, max_depth=8), "diabetes", variant=criterion
            )
        yield Case("tree", make(), "multi_regression")
        yield Case("tree", make(), "diabetes_nan", tags={"nan"})


def _forest_cases():
    for cls in (RandomForestClassifier, ExtraTreesClassifier):
        make = lambda c=cls, **kw: lambda: c(n_estimators=8, random_state=0, **kw)  # noqa: E731
        for data in CLASSIFICATION:
            yield Case("forest", make(), data)
        yield Case("forest", make(), "wine", "str")
        yield Case(
            "forest",
            make(oob_score=True, bootstrap=True, max_depth=4),
            "breast_cancer",
            "bool",
            variant="oob",
        )
        yield Case("forest", make(), "multi_classification", "str")
        yield Case("forest", make(), "multi_classification", "lengths")
        yield Case("forest", make(), "multi_classification_wide")
        yield Case("forest", make(), "iris_nan", "str", tags={"nan"})
    for cls in (RandomForestRegressor, ExtraTreesRegressor):
        make = lambda c=cls, **kw: lambda: c(n_estimators=8, random_state=0, **kw)  # noqa: E731
        yield Case("forest", make(), "diabetes")
        yield Case(
            "forest",
            make(max_depth=6, oob_score=True, bootstrap=True),
            "multi_regression",
            variant="oob",
        )
        yield Case("forest", make(), "diabetes_nan", tags={"nan"})


def _boosting_cases():
    make = lambda c, **kw: lambda: c(n_estimators=15, max_depth=3, random_state=0, **kw)  # noqa: E731
    classifier = GradientBoostingClassifier
    for data in ("iris", "wine", "breast_cancer"):
        yield Case("boosting", make(classifier), data)
    yield Case("boosting", make(classifier), "iris", "str")
    yield Case(
        "boosting", make(classifier, subsample=0.7), "breast_cancer", "bool", variant="subsample"
    )
    yield Case(
        "boosting", make(classifier, loss="exponential"), "breast_cancer", variant="exponential"
    )
    yield Case("boosting", make(classifier, init="zero"), "wine", "str", variant="zero")
    regressor = GradientBoostingRegressor
    for loss in ("squared_error", "absolute_error", "huber", "quantile"):
        yield Case("boosting", make(regressor, loss=loss), "diabetes", variant=loss)
    yield Case(
        "boosting", make(regressor, init="zero", learning_rate=0.3), "diabetes", variant="zero"
    )


CASES = [
    case
    for case in (
        *_linear_cases(),
        *_logistic_cases(),
        *_tree_cases(),
        *_forest_cases(),
        *_boosting_cases(),
    )
    # Missing values as input came to each estimator in its own scikit-learn release (extra
    # trees in 1.6): a version that refuses them cannot fit these cases.
    if (case.needs is None or case.needs())
    and ("nan" not in case.tags or _compat.allows_nan(case.make()))
]
CASE_IDS = [case.id for case in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS), "case ids must be unique"


@functools.cache
def fitted(case_id: str):
    """``(estimator, dataset)`` for a case, fitted once per test session."""
    case = CASES[CASE_IDS.index(case_id)]
    data = dataset(case.data)
    est = case.make()
    y = data.y_train
    if hasattr(est, "predict_proba") or "Classifier" in type(est).__name__:
        y = LABELS[case.labels](y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings do not matter here
        est.fit(data.X_train, y)
    return est, data


# ---------------------------------------------------------------- probe rows


def thresholds_of(est):
    """``(feature, threshold)`` of every split of every tree in ``est`` (empty for others)."""
    trees = [est.tree_] if hasattr(est, "tree_") else []
    trees += [
        sub.tree_ for sub in np.ravel(getattr(est, "estimators_", [])) if hasattr(sub, "tree_")
    ]
    pairs = []
    for tree in trees:
        inner = tree.children_left != -1
        pairs.extend(zip(tree.feature[inner], tree.threshold[inner]))
    return pairs


def probe_rows(est, data: Dataset, max_splits: int = 60, seed: int = 0) -> np.ndarray:
    """Held-out rows, plus rows put exactly on split thresholds, between float32(threshold) and
    threshold, one ulp either side, and (where the model allows them) missing values."""
    rng = np.random.RandomState(seed)
    X = np.asarray(data.X_test, dtype=np.float64)
    rows = [X]
    pairs = [(f, t) for f, t in thresholds_of(est) if np.isfinite(t)]
    if pairs:
        chosen = rng.choice(len(pairs), size=min(max_splits, len(pairs)), replace=False)
        for i in chosen:
            f, t = pairs[i]
            t32 = float(np.float32(t))
            values = [
                t,
                t32,
                (t + t32) / 2,
                np.nextafter(t, -np.inf),
                np.nextafter(t, np.inf),
                np.nextafter(t32, -np.inf),
                np.nextafter(t32, np.inf),
            ]
            base = X[rng.randint(len(X))]
            for v in values:
                row = base.copy()
                row[f] = v
                rows.append(row[None, :])
    if _compat.allows_nan(est):
        nan_rows = X[: min(len(X), 20)].copy()
        for i, row in enumerate(nan_rows):
            row[i % X.shape[1]] = np.nan
        all_nan = np.full((1, X.shape[1]), np.nan)
        rows += [nan_rows, all_nan]
    return np.vstack(rows)


def outputs(est, X) -> dict:
    """Everything the estimator predicts for ``X``, the leaves ``apply`` finds included: what
    a Python round trip must reproduce."""
    return _fidelity.predictions(est, X, (*_fidelity.RUNTIME_METHODS, "apply"))


def json_values(value):
    """Arrays (or per-output lists of arrays) as JSON values, NaN as null."""
    if isinstance(value, list):
        return [json_values(v) for v in value]
    a = np.asarray(value)
    if a.dtype.kind == "f":
        out = a.astype(object)
        out[np.isnan(a)] = None
        return out.tolist()
    return a.tolist()
