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
from sklearn.base import is_classifier
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
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
from json_models._datasets import (
    BUNDLED,
    CATEGORICAL_COLUMNS,
    MIXED_COLUMNS,
    Dataset,
    bundled,
    json_rows,
    mixed,
    split,
)

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
    if name.startswith("mixed"):  # mixed[_categorical][_seen][_array]: see _datasets.mixed
        data = mixed(frame="_array" not in name, unseen="_seen" not in name)
        if "_categorical" in name:
            columns = [list(MIXED_COLUMNS).index(c) for c in CATEGORICAL_COLUMNS]
            pick = (
                (lambda X: X[list(CATEGORICAL_COLUMNS)])
                if "_array" not in name
                else (lambda X: X[:, columns])
            )
            data = Dataset(pick(data.X_train), pick(data.X_test), data.y_train, data.y_test)
        return data
    if name.startswith("hgb_cat"):
        return _hgb_categorical(multiclass=name == "hgb_cat_multi")
    if name == "hgb_mixed_category":  # the mixed table with pandas `category` columns
        data = mixed()
        to_category = lambda X: X.astype(dict.fromkeys(["city", "color", "member"], "category"))  # noqa: E731
        return Dataset(
            to_category(data.X_train), to_category(data.X_test), data.y_train, data.y_test
        )
    if name == "multilabel":  # a 0/1 indicator of three labels per row
        X, y = datasets.load_iris(return_X_y=True)
        return split(X, np.c_[y == 0, y == 2, X[:, 0] > 5.8].astype(int))
    if name.endswith("_float32"):  # the same rows in float32 (a model then fitted in float32)
        data = dataset(name.removesuffix("_float32"))
        to32 = lambda X: X.astype(np.float32)  # noqa: E731
        return Dataset(to32(data.X_train), to32(data.X_test), data.y_train, data.y_test)
    if name == "wine_shifted":  # labels 1, 2, 3 as a positive target (a gamma regression's)
        data = dataset("wine")
        return Dataset(data.X_train, data.X_test, data.y_train + 1, data.y_test + 1)
    if name == "iris_nan":
        X, y = datasets.load_iris(return_X_y=True)
        return split(_inject_nans(X, y == 2), y)
    if name == "diabetes_nan":
        X, y = datasets.load_diabetes(return_X_y=True)
        X = X[:, [2, 0, 1, 3, 4, 5, 6, 7, 8, 9]]  # the informative column first
        return split(_inject_nans(X, y > 200), y)
    raise KeyError(name)


def _hgb_categorical(multiclass: bool) -> Dataset:
    """Numbers where two columns are categories (0..5, and -2..2: negative ones too), NaN in a
    category and a numeric column; held-out rows hold categories training never saw, negative
    ones, NaN and non-integers."""
    rng = np.random.RandomState(0)
    n = 400
    X = np.c_[rng.randint(0, 6, n), rng.randn(n), rng.randint(-2, 3, n), rng.randn(n)]
    X[rng.rand(n) < 0.1, 3] = np.nan
    X[rng.rand(n) < 0.05, 0] = np.nan
    score = np.isin(X[:, 0], [1, 3, 4]) * 1.5 + X[:, 1] - (X[:, 2] == -2) + np.nan_to_num(X[:, 3])
    y = np.digitize(score, [0.0, 1.2]) if multiclass else (score > 0.7).astype(int)
    data = split(X, y)
    X_test = data.X_test.copy()
    X_test[:7, 0] = [7, -1, np.nan, 2.5, 300, -0.0, 1e300]
    X_test[:7, 2] = [-3, 5, np.nan, -2, 0.5, 1, -0.0]
    return Dataset(data.X_train, X_test, data.y_train, data.y_test)


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
        name = type(est).__name__
        if hasattr(est, "steps"):  # a pipeline: by what it ends in
            name += "-" + type(est.steps[-1][1]).__name__.replace("NoneType", "None")
        parts = [self.family, name, self.data]
        if self.labels != "int":
            parts.append(self.labels)
        if self.variant:
            parts.append(self.variant)
        return "-".join(parts)


CLASSIFICATION = ("iris", "wine", "breast_cancer", "digits")


def _linear_cases():
    from sklearn import linear_model as lm
    from sklearn.svm import LinearSVR

    for cls in (LinearRegression, Ridge, Lasso, ElasticNet):
        for data in ("diabetes", "multi_regression"):
            yield Case("linear", cls, data)
            yield Case("linear", lambda c=cls: c(fit_intercept=False), data, variant="nointercept")

    def make(cls, **kw):
        def build():
            with warnings.catch_warnings():  # (PassiveAggressiveRegressor: deprecated in 1.8)
                warnings.simplefilter("ignore", FutureWarning)
                return cls(**kw)

        return build

    # RidgeCV's store_cv_values is store_cv_results from 1.5.
    store = {
        "store_cv_results"
        if "store_cv_results" in lm.RidgeCV().get_params()
        else "store_cv_values": True
    }
    yield Case("linear", make(lm.RidgeCV, **store), "diabetes", variant="store")
    yield Case("linear", make(lm.RidgeCV, alpha_per_target=True, **store), "multi_regression")
    yield Case("linear", make(lm.RidgeCV, cv=3), "multi_regression", variant="cv3")
    yield Case("linear", make(lm.RidgeCV, fit_intercept=False), "wine", variant="nointercept")
    for cls in (lm.LassoCV, lm.ElasticNetCV):
        yield Case("linear", make(cls, cv=3), "diabetes")
        yield Case("linear", make(cls, cv=3, max_iter=200), "breast_cancer")
    yield Case("linear", make(lm.ElasticNetCV, cv=3, l1_ratio=[0.2, 0.8]), "wine", variant="ratios")
    passive = [lm.PassiveAggressiveRegressor] if hasattr(lm, "PassiveAggressiveRegressor") else []
    for cls in (lm.SGDRegressor, *passive):
        yield Case("linear", make(cls, max_iter=50, random_state=0), "diabetes")
        yield Case(
            "linear",
            make(cls, max_iter=50, random_state=0, average=True),
            "iris",
            variant="average",
        )
    yield Case(
        "linear",
        make(lm.SGDRegressor, max_iter=50, random_state=0, penalty="elasticnet", loss="huber"),
        "iris",
    )
    for data in ("diabetes", "iris"):
        yield Case("linear", make(lm.HuberRegressor, max_iter=100), data)
        yield Case(
            "linear", make(lm.QuantileRegressor, alpha=0.001, quantile=0.3, solver="highs"), data
        )
        yield Case("linear", make(LinearSVR, dual="auto", max_iter=500, random_state=0), data)
    yield Case(
        "linear",
        make(lm.HuberRegressor, fit_intercept=False, max_iter=50),
        "wine",
        variant="nointercept",
    )
    yield Case(
        "linear",
        make(LinearSVR, fit_intercept=False, dual="auto", random_state=0),
        "wine",
        variant="nointercept",
    )
    for cls in (lm.BayesianRidge, lm.ARDRegression):
        yield Case("linear", make(cls, compute_score=True, max_iter=50), "diabetes")
        yield Case("linear", make(cls, max_iter=50), "wine")
    yield Case(
        "linear",
        make(lm.BayesianRidge, fit_intercept=False),
        "breast_cancer",
        variant="nointercept",
    )


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
    # LogisticRegressionCV: the fitted choices and the cross-validation paths (dicts keyed by
    # class label; arrays with use_legacy_attributes=False, 1.8+), binary and multiclass.
    from sklearn.linear_model import LogisticRegressionCV

    cv = lambda **kw: lambda: LogisticRegressionCV(**{"cv": 3, "Cs": 4, "max_iter": 100, **kw})  # noqa: E731
    yield Case("logistic", cv(), "iris", "str")
    yield Case("logistic", cv(), "breast_cancer")
    yield Case("logistic", cv(class_weight="balanced", refit=False), "wine", variant="norefit")
    yield Case("logistic", cv(Cs=[1, 10]), "digits", "str", variant="int-grid")
    yield Case(
        "logistic",
        cv(solver="saga", penalty="elasticnet", l1_ratios=[0.2, 0.8]),
        "breast_cancer",
        "str",
        variant="elasticnet",
    )
    has_new_attributes = lambda: "use_legacy_attributes" in LogisticRegressionCV().get_params()  # noqa: E731
    yield Case(
        "logistic",
        cv(use_legacy_attributes=False),
        "wine",
        "str",
        variant="arrays",
        needs=has_new_attributes,
    )
    yield Case(
        "logistic", cv(solver="liblinear"), "iris", variant="liblinear", needs=has_multi_class
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


def _hgb_cases():
    def make(c, **kw):
        return lambda: c(**{"max_iter": 12, "max_leaf_nodes": 15, "random_state": 0, **kw})

    classifier, regressor = HistGradientBoostingClassifier, HistGradientBoostingRegressor
    nan = {"nan"}
    yield Case("hgb", make(classifier), "breast_cancer")
    yield Case("hgb", make(classifier), "iris", "str")
    yield Case("hgb", make(classifier), "iris_nan", tags=nan)
    yield Case("hgb", make(classifier, class_weight="balanced"), "wine", variant="balanced")
    early = dict(early_stopping=True, validation_fraction=0.2, n_iter_no_change=2, max_iter=40)
    yield Case("hgb", make(classifier, **early), "breast_cancer", "bool", variant="early")
    yield Case("hgb", make(classifier, categorical_features=[0, 2]), "hgb_cat", variant="index")
    mask = [True, False, True, False]
    yield Case("hgb", make(classifier, categorical_features=mask), "hgb_cat_multi", variant="mask")
    names = ["city", "color", "member", "n_children"]
    yield Case("hgb", make(classifier, categorical_features=names), "mixed", "str", variant="names")
    dtype = dict(categorical_features="from_dtype")
    yield Case("hgb", make(classifier, **dtype), "hgb_mixed_category", variant="dtype")
    for loss in ("squared_error", "absolute_error", "gamma", "poisson"):
        yield Case("hgb", make(regressor, loss=loss), "diabetes", variant=loss)
    quantile = dict(loss="quantile", quantile=0.8)
    yield Case("hgb", make(regressor, **quantile), "diabetes", variant="quantile")
    yield Case("hgb", make(regressor), "diabetes_nan", tags=nan)
    yield Case("hgb", make(regressor, loss="poisson"), "diabetes_nan", variant="poisson", tags=nan)
    early = dict(early_stopping=True, validation_fraction=0.2, n_iter_no_change=2, max_iter=40)
    yield Case("hgb", make(regressor, **early), "diabetes", variant="early")
    constraints = dict(
        monotonic_cst=[1, 0, 0, -1, 0, 0, 0, 0, 0, 0], interaction_cst=[[0, 1], [2, 3, 4]]
    )
    yield Case("hgb", make(regressor, **constraints), "diabetes", variant="constraints")
    yield Case("hgb", make(regressor, categorical_features=[0, 2]), "hgb_cat", variant="index")
    yield Case("hgb", make(regressor, **dtype), "hgb_mixed_category", variant="dtype")


def _scaler_cases():
    """Owned by the scaler family (issue 15). digits has constant columns (scale_ 1); wine,
    digits and breast_cancer have held-out values outside the fitted range (clip)."""
    from sklearn.preprocessing import (
        MaxAbsScaler,
        MinMaxScaler,
        Normalizer,
        RobustScaler,
        StandardScaler,
    )

    make = lambda c, **kw: lambda: c(**kw)  # noqa: E731
    nan = {"nan"}
    for data in ("diabetes", "wine", "digits"):
        yield Case("scaler", make(StandardScaler), data)
    yield Case("scaler", make(StandardScaler), "iris_nan", tags=nan)
    yield Case("scaler", make(StandardScaler, with_mean=False), "wine", variant="nomean")
    yield Case("scaler", make(StandardScaler, with_std=False), "wine", variant="nostd")
    both = make(StandardScaler, with_mean=False, with_std=False)
    yield Case("scaler", both, "iris_nan", variant="neither", tags=nan)
    yield Case("scaler", make(MinMaxScaler), "wine")
    yield Case("scaler", make(MinMaxScaler), "iris_nan", tags=nan)
    yield Case(
        "scaler", make(MinMaxScaler, feature_range=(-1, 2)), "breast_cancer", variant="range"
    )
    yield Case("scaler", make(MinMaxScaler, clip=True), "wine", variant="clip")
    clipped = make(MinMaxScaler, feature_range=(-0.5, 0.5), clip=True)
    yield Case("scaler", clipped, "digits", variant="range-clip")
    yield Case("scaler", make(MaxAbsScaler), "diabetes")
    yield Case("scaler", make(MaxAbsScaler), "digits")
    yield Case("scaler", make(MaxAbsScaler), "iris_nan", tags=nan)
    has_clip = lambda: "clip" in MaxAbsScaler().get_params()  # noqa: E731  (from 1.8)
    yield Case("scaler", make(MaxAbsScaler, clip=True), "wine", variant="clip", needs=has_clip)
    yield Case("scaler", make(RobustScaler), "wine")
    yield Case("scaler", make(RobustScaler), "iris_nan", tags=nan)
    yield Case("scaler", make(RobustScaler, with_centering=False), "diabetes", variant="nocenter")
    yield Case("scaler", make(RobustScaler, with_scaling=False), "wine", variant="noscale")
    quantiles = make(RobustScaler, quantile_range=(10.0, 90.0), unit_variance=True)
    yield Case("scaler", quantiles, "breast_cancer", variant="quantiles")
    for norm in ("l1", "l2", "max"):
        for data in ("wine", "digits"):
            yield Case("scaler", make(Normalizer, norm=norm), data, variant=norm)


def _polynomial_cases():
    """Owned by the polynomial family (issue 15)."""
    from sklearn.preprocessing import PolynomialFeatures

    make = lambda **kw: lambda: PolynomialFeatures(**kw)  # noqa: E731
    yield Case("polynomial", make(), "diabetes")
    yield Case("polynomial", make(), "iris")
    yield Case("polynomial", make(degree=3), "iris", variant="degree3")
    yield Case("polynomial", make(degree=3), "wine", variant="degree3")
    yield Case("polynomial", make(interaction_only=True), "wine", variant="interaction")
    yield Case("polynomial", make(include_bias=False), "diabetes", variant="nobias")
    yield Case("polynomial", make(degree=(2, 3)), "iris", variant="degrees2-3")
    yield Case(
        "polynomial",
        make(degree=(1, 3), interaction_only=True, include_bias=False),
        "wine",
        variant="degrees1-3-interaction-nobias",
    )
    yield Case(
        "polynomial", make(degree=(3, 3), include_bias=False), "diabetes", variant="degree3-only"
    )


def _imputer_cases():
    """Owned by the imputer family (issue 15). (No dataset of the zoo has a feature without
    any observed value: tests/test_imputer.py covers dropping and keeping one.)"""
    from sklearn.impute import SimpleImputer

    make = lambda **kw: lambda: SimpleImputer(**kw)  # noqa: E731
    for strategy in ("mean", "median", "most_frequent"):
        yield Case("imputer", make(strategy=strategy), "iris_nan", variant=strategy)
    constant = make(strategy="constant", fill_value=-1.5)
    yield Case("imputer", constant, "iris_nan", variant="constant")
    yield Case("imputer", make(add_indicator=True), "iris_nan", variant="indicator")
    yield Case(
        "imputer",
        make(strategy="median", add_indicator=True, keep_empty_features=True),
        "diabetes_nan",
        variant="median-indicator-keep",
    )
    yield Case("imputer", make(strategy="constant"), "diabetes_nan", variant="constant")
    # Object columns: strings and numbers, NaN missing in both; unseen and rare cities.
    yield Case("imputer", make(strategy="most_frequent"), "mixed", variant="most_frequent")
    yield Case(
        "imputer",
        make(strategy="most_frequent", add_indicator=True, keep_empty_features=True),
        "mixed",
        variant="most_frequent-indicator-keep",
    )
    yield Case(
        "imputer",
        make(strategy="constant", fill_value="unknown", add_indicator=True),
        "mixed",
        variant="constant-str-indicator",
    )
    yield Case("imputer", make(strategy="constant"), "mixed_categorical", variant="constant")
    yield Case("imputer", make(strategy="most_frequent"), "mixed_array", variant="most_frequent")


def _encoder_cases():
    """Owned by the encoder family (issue 15). The categorical columns of the mixed table:
    strings with NaN, a rare city, cities unseen at fit in held-out rows (``_seen``: none, for
    handle_unknown="error"), integers; as a DataFrame and as a numpy object array."""
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    onehot = lambda **kw: lambda: OneHotEncoder(**kw)  # noqa: E731
    ordinal = lambda **kw: lambda: OrdinalEncoder(**kw)  # noqa: E731
    frame, array, seen = "mixed_categorical", "mixed_categorical_array", "mixed_categorical_seen"
    ignore = {"handle_unknown": "ignore"}
    infrequent = {"handle_unknown": "infrequent_if_exist"}
    yield Case("encoder", onehot(**ignore), frame, variant="sparse")
    yield Case("encoder", onehot(**ignore), array, variant="sparse")
    yield Case("encoder", onehot(sparse_output=False, **ignore), frame)
    yield Case("encoder", onehot(sparse_output=False, **ignore), array)
    yield Case("encoder", onehot(sparse_output=False), seen, variant="error")
    yield Case(
        "encoder",
        onehot(drop="first", dtype=np.int64, sparse_output=False),
        seen,
        variant="first-int64",
    )
    yield Case(
        "encoder",
        onehot(min_frequency=10, sparse_output=False, **infrequent),
        frame,
        variant="min-frequency",
    )
    yield Case("encoder", onehot(min_frequency=10, **ignore), array, variant="min-frequency-ignore")
    yield Case(
        "encoder",
        onehot(max_categories=3, drop="first", **infrequent),
        frame,
        variant="max-categories-first",
    )
    yield Case(
        "encoder",
        onehot(max_categories=1, drop="first", **infrequent),
        array,
        variant="max-categories-1",
    )
    yield Case(
        "encoder",
        onehot(
            handle_unknown="warn",
            min_frequency=0.05,
            drop="if_binary",
            dtype=np.float32,
            sparse_output=False,
        ),
        frame,
        variant="warn-if-binary-float32",
        needs=_compat.onehot_takes_warn,  # (new in 1.6)
    )
    yield Case(
        "encoder",
        onehot(drop=["Paris", "red", 0, "no"], min_frequency=5, **ignore),
        frame,
        variant="drop-each",
    )
    yield Case(
        "encoder",
        onehot(drop=[np.nan, "red", 3, np.nan], sparse_output=False, **ignore),
        frame,
        variant="drop-nan",
    )
    given = [
        ["Paris", "Lyon", "Nice", "Rome", np.nan],
        ["red", "green", "blue"],
        [0, 1, 2, 3, 4, 5],
        ["yes", "no", np.nan],
    ]
    yield Case(
        "encoder", onehot(categories=given, sparse_output=False, **ignore), frame, variant="given"
    )
    pandas = lambda: OneHotEncoder(sparse_output=False, **ignore).set_output(transform="pandas")  # noqa: E731
    yield Case("encoder", pandas, frame, variant="pandas")
    yield Case("encoder", ordinal(), seen)
    yield Case("encoder", ordinal(), "mixed_categorical_seen_array")
    unknown = {"handle_unknown": "use_encoded_value"}
    yield Case("encoder", ordinal(unknown_value=-1, **unknown), frame, variant="unknown")
    yield Case("encoder", ordinal(unknown_value=-1, **unknown), array, variant="unknown")
    yield Case(
        "encoder",
        ordinal(unknown_value=np.nan, min_frequency=20, **unknown),
        frame,
        variant="nan-min-frequency",
    )
    yield Case(
        "encoder",
        ordinal(
            unknown_value=-1, encoded_missing_value=-2, max_categories=3, dtype=np.int32, **unknown
        ),
        array,
        variant="max-categories-int32",
    )


def _pipeline_cases():
    """Pipelines as people ship them: a ColumnTransformer over a mixed table (names, indices,
    masks, slices; remainders), preprocessing chains over numeric data, every family as the
    last step, nesting, passthrough steps, sparse and pandas outputs."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import (
        MaxAbsScaler,
        MinMaxScaler,
        Normalizer,
        OneHotEncoder,
        OrdinalEncoder,
        PolynomialFeatures,
        RobustScaler,
        StandardScaler,
    )

    numeric, categorical = ["age", "income"], ["city", "color", "member"]

    def table(*last, remainder="passthrough", onehot=None, **kw):
        """A mixed table's usual preprocessing, then ``last``."""
        columns = ColumnTransformer(
            [
                ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
                ("cat", onehot or OneHotEncoder(handle_unknown="ignore"), categorical),
            ],
            remainder=remainder,
            **kw,
        )
        return make_pipeline(columns, *last)

    forest = lambda: RandomForestClassifier(n_estimators=10, random_state=0)  # noqa: E731
    yield Case("pipeline", lambda: table(LogisticRegression(max_iter=500)), "mixed")
    yield Case("pipeline", lambda: table(forest()), "mixed", "str")
    yield Case(
        "pipeline",
        lambda: table(
            GradientBoostingClassifier(n_estimators=10, random_state=0),
            onehot=make_pipeline(
                SimpleImputer(strategy="most_frequent"),
                OneHotEncoder(drop="first", handle_unknown="ignore"),
            ),
            remainder=MinMaxScaler(),
        ),
        "mixed",
        variant="impute-drop-first",
    )
    yield Case(
        "pipeline",
        lambda: table(
            LogisticRegression(max_iter=500),
            onehot=OneHotEncoder(
                handle_unknown="infrequent_if_exist", min_frequency=5, sparse_output=True
            ),
            sparse_threshold=0.9,
        ),
        "mixed",
        variant="sparse-infrequent",
    )
    yield Case(
        "pipeline",
        lambda: table(
            forest(),
            onehot=OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            remainder="drop",
            verbose_feature_names_out=False,
        ).set_output(transform="pandas"),
        "mixed",
        variant="pandas-output",
    )
    ordinal = lambda: OrdinalEncoder(  # noqa: E731
        handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2
    )
    yield Case(
        "pipeline",
        lambda: make_pipeline(
            ColumnTransformer(
                [("num", SimpleImputer(), [0, 1]), ("cat", ordinal(), [2, 3, 5])],
                remainder="drop",
            ),
            DecisionTreeClassifier(random_state=0),
        ),
        "mixed_array",
        variant="indices",
    )
    yield Case(
        "pipeline",
        lambda: make_pipeline(
            ColumnTransformer(
                [
                    ("num", SimpleImputer(), [True, True, False, False, False, False]),
                    ("cat", ordinal(), slice("city", "member")),
                ],
                remainder="passthrough",
            ),
            ExtraTreesClassifier(n_estimators=10, random_state=0),
        ),
        "mixed",
        variant="mask-slice",
    )
    yield Case(
        "pipeline",
        lambda: make_pipeline(
            SimpleImputer(strategy="constant", fill_value="unknown"), OneHotEncoder()
        ),
        "mixed_categorical_seen",
        variant="transform",
    )
    yield Case(
        "pipeline",
        lambda: make_pipeline(ordinal(), DecisionTreeClassifier(random_state=0)),
        "mixed_categorical",
    )
    # Chains over numeric data: (steps, dataset, labels, variant).
    chains = [
        (lambda: [StandardScaler(), Ridge()], "diabetes", "int", ""),
        (
            lambda: [MinMaxScaler(clip=True), PolynomialFeatures(2), LinearRegression()],
            "diabetes",
            "int",
            "poly",
        ),
        # (Lasso here: one value in 500 differed between two processes under 1.4 and 1.6, for
        # pickle as for json-models, a BLAS product of the scaler's freshly allocated output)
        (
            lambda: [SimpleImputer(), RobustScaler(), DecisionTreeRegressor(random_state=0)],
            "diabetes_nan",
            "int",
            "",
        ),
        (
            lambda: [MaxAbsScaler(), Normalizer(), LogisticRegression(max_iter=500)],
            "iris",
            "int",
            "",
        ),
        (
            lambda: [SimpleImputer(add_indicator=True), DecisionTreeClassifier(random_state=0)],
            "iris_nan",
            "str",
            "",
        ),
        (
            lambda: [MinMaxScaler(), GradientBoostingRegressor(n_estimators=10, random_state=0)],
            "diabetes",
            "int",
            "",
        ),
        (
            lambda: [make_pipeline(StandardScaler()), LinearRegression()],
            "multi_regression",
            "int",
            "nested",
        ),
        (lambda: [MinMaxScaler(), LogisticRegression(max_iter=500)], "digits", "int", ""),
        (
            lambda: [StandardScaler(), RandomForestRegressor(n_estimators=10, random_state=0)],
            "diabetes_nan",
            "int",
            "nan",
        ),
    ]
    for steps, data, labels, variant in chains:
        yield Case("pipeline", lambda s=steps: make_pipeline(*s()), data, labels, variant)
    named = lambda: [("scale", StandardScaler()), ("skip", "passthrough"), ("trees", forest())]  # noqa: E731
    yield Case("pipeline", lambda: Pipeline(named()), "wine")
    yield Case(
        "pipeline",
        lambda: Pipeline([("scale", StandardScaler()), ("none", None)]),
        "wine",
        variant="transform",
    )
    yield Case(
        "pipeline",
        lambda: ColumnTransformer(
            [
                ("num", StandardScaler(), numeric),
                ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
            ]
        ),
        "mixed_seen",
        variant="columns",
    )
    yield from _pipelines_ending_in_the_long_tail(table)


def _pipelines_ending_in_the_long_tail(table):
    """A scaler (or the mixed table's preprocessing) then a network, a kernel SVM, naive Bayes,
    an isolation forest, an SGD classifier or a GLM: how these are shipped."""
    from sklearn.ensemble import IsolationForest
    from sklearn.linear_model import PoissonRegressor, SGDClassifier
    from sklearn.naive_bayes import GaussianNB, MultinomialNB
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
    from sklearn.svm import SVC

    dense = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    network = lambda: MLPClassifier(hidden_layer_sizes=(16,), max_iter=200, random_state=0)  # noqa: E731
    yield Case("pipeline", lambda: table(network()), "mixed", "str")
    scaled = {
        "diabetes": lambda: MLPRegressor(hidden_layer_sizes=(8,), max_iter=200, random_state=0),
        "wine": lambda: SVC(break_ties=True),
        "breast_cancer": lambda: IsolationForest(n_estimators=10, random_state=0),
    }
    for data, last in scaled.items():
        yield Case("pipeline", lambda last=last: make_pipeline(StandardScaler(), last()), data)
    yield Case("pipeline", lambda: table(GaussianNB(), onehot=dense), "mixed")
    yield Case("pipeline", lambda: make_pipeline(MinMaxScaler(), MultinomialNB()), "digits", "str")
    sgd = lambda: SGDClassifier(loss="modified_huber", random_state=0)  # noqa: E731
    yield Case("pipeline", lambda: table(sgd()), "mixed", "str")
    poisson = lambda: make_pipeline(StandardScaler(), PoissonRegressor())  # noqa: E731
    yield Case("pipeline", poisson, "diabetes")


def _glm_cases():
    """Owned by the glm family: GLMs (issue 18)."""
    from sklearn import linear_model as lm

    make = lambda cls, **kw: lambda: cls(max_iter=50, **kw)  # noqa: E731
    newton = {"solver": "newton-cholesky"}  # (lbfgs takes seconds on unscaled features)
    # Poisson and Tweedie (1 <= power < 2) take y >= 0: class labels will do; Gamma needs
    # y > 0: diabetes, and wine's labels plus one.
    for cls, kw in ((lm.PoissonRegressor, {}), (lm.TweedieRegressor, {"power": 1.5})):
        yield Case("glm", make(cls, **kw), "diabetes")
        yield Case("glm", make(cls, **kw, **newton), "wine", variant="newton")
    yield Case("glm", make(lm.PoissonRegressor, alpha=0.1, **newton), "iris", variant="newton")
    yield Case("glm", make(lm.GammaRegressor), "diabetes")
    yield Case("glm", make(lm.GammaRegressor, **newton), "wine_shifted", variant="newton")
    yield Case(
        "glm", make(lm.GammaRegressor, fit_intercept=False, **newton), "diabetes", variant="newton"
    )
    yield Case(
        "glm", make(lm.TweedieRegressor, power=0.0, **newton), "breast_cancer", variant="identity"
    )
    yield Case(
        "glm",
        make(lm.TweedieRegressor, power=1.0, link="identity", **newton),
        "iris",
        variant="identity",
    )
    yield Case("glm", make(lm.TweedieRegressor, power=2.5, link="log"), "diabetes", variant="log")


def _linear_classifier_cases():
    """Owned by the linear_classifier family: linear classifiers (issue 18)."""
    from sklearn import linear_model
    from sklearn.linear_model import Perceptron, RidgeClassifier, RidgeClassifierCV, SGDClassifier
    from sklearn.svm import LinearSVC

    family = "linear_classifier"
    sgd = lambda **kw: lambda: SGDClassifier(max_iter=5, random_state=0, **kw)  # noqa: E731
    # Every loss once at least, binary and multiclass; log_loss and modified_huber have
    # predict_proba.
    for loss, data, labels in (
        ("hinge", "iris", "str"),
        ("hinge", "breast_cancer", "int"),
        ("log_loss", "breast_cancer", "str"),
        ("modified_huber", "wine", "str"),
        ("modified_huber", "breast_cancer", "int"),
        ("modified_huber", "iris", "bool"),
        ("squared_hinge", "iris", "int"),
        ("perceptron", "breast_cancer", "str"),
        ("squared_error", "wine", "int"),
        ("huber", "iris", "int"),
        ("epsilon_insensitive", "breast_cancer", "int"),
        ("squared_epsilon_insensitive", "digits", "str"),
    ):
        yield Case(family, sgd(loss=loss), data, labels, variant=loss)
    # (Decision values of a few hundred at most: up to 1.8 scikit-learn's one-vs-rest
    # probabilities are NaN where expit is 0 for every class; 1.9, and the JavaScript runtime,
    # make such rows uniform.)
    yield Case(family, sgd(loss="log_loss", alpha=0.01), "digits", variant="log_loss")
    yield Case(family, sgd(loss="log_loss", average=True), "iris", variant="averaged")
    yield Case(
        family,
        sgd(class_weight={"class_0": 2.0, "class_2": 0.5}, fit_intercept=False),
        "iris",
        "str",
        variant="weights-nointercept",
    )
    yield Case(family, lambda: Perceptron(max_iter=5), "iris", "str")
    yield Case(family, lambda: Perceptron(max_iter=5, class_weight="balanced"), "breast_cancer")
    has_passive = lambda: hasattr(linear_model, "PassiveAggressiveClassifier")  # noqa: E731

    def passive(**kw):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # (deprecated in 1.8)
            return linear_model.PassiveAggressiveClassifier(max_iter=5, **kw)

    yield Case(family, passive, "wine", "str", needs=has_passive)
    yield Case(
        family,
        lambda: passive(loss="squared_hinge"),
        "breast_cancer",
        variant="squared_hinge",
        needs=has_passive,
    )
    yield Case(family, RidgeClassifier, "iris", "str")
    yield Case(family, RidgeClassifier, "breast_cancer")
    yield Case(
        family,
        lambda: RidgeClassifier(fit_intercept=False, class_weight="balanced"),
        "digits",
        variant="balanced-nointercept",
    )
    yield Case(family, lambda: RidgeClassifier(solver="sag", max_iter=5), "wine", variant="sag")
    yield Case(family, RidgeClassifierCV, "wine", "str")
    yield Case(family, RidgeClassifierCV, "breast_cancer", "bool")
    yield Case(family, lambda: RidgeClassifierCV(cv=3), "iris", variant="cv3")
    store = "store_cv_results" if _compat.RIDGE_CV_RESULTS == "cv_results_" else "store_cv_values"
    yield Case(
        family, lambda: RidgeClassifierCV(**{store: True}), "breast_cancer", "str", variant="stored"
    )
    yield Case(family, lambda: LinearSVC(max_iter=200), "iris", "str")
    yield Case(family, lambda: LinearSVC(max_iter=200), "breast_cancer")
    yield Case(
        family,
        lambda: LinearSVC(max_iter=200, fit_intercept=False, loss="hinge", dual=True),
        "digits",
        "str",
        variant="hinge-nointercept",
    )


def _svm_cases():
    """Owned by the svm family: support vector machines (issue 18)."""
    from sklearn.base import clone
    from sklearn.svm import SVC, SVR, NuSVC, NuSVR, OneClassSVM

    # Every kernel, both decision_function shapes, break_ties, class weights, probability
    # estimates (Platt scaling: Python only), numeric gamma and "auto", fits stopped by max_iter
    # and one without support vectors; str, int and bool labels, binary and multiclass.
    # Unscaled data (wine, breast_cancer, diabetes) makes kernel values tiny or huge.
    rows = [  # (estimator, dataset, labels, variant)
        (SVC(), "iris", "str", ""),
        (SVC(kernel="linear", decision_function_shape="ovo"), "iris", "int", "linear-ovo"),
        (SVC(break_ties=True, class_weight={0: 2.0, 2: 0.5}), "iris", "int", "break_ties-weights"),
        (SVC(probability=True, random_state=0), "iris", "str", "probability"),
        (SVC(probability=True, gamma=1e-4, random_state=0), "breast_cancer", "str",
         "probability-binary"),
        (SVC(class_weight="balanced"), "wine", "str", "balanced"),
        (SVC(kernel="poly", degree=2, gamma="auto", max_iter=2000), "breast_cancer", "str",
         "poly-max_iter"),
        (SVC(kernel="sigmoid", gamma=2e-4, coef0=-0.5), "digits", "int", "sigmoid"),
        (SVC(decision_function_shape="ovo"), "digits", "int", "ovo"),
        (SVC(kernel="poly", degree=4, coef0=1.0), "breast_cancer", "bool", "poly"),
        (NuSVC(kernel="poly", nu=0.1), "iris", "int", "poly"),
        (NuSVC(nu=0.2, break_ties=True), "wine", "str", "break_ties"),
        (NuSVC(nu=0.1, kernel="sigmoid", gamma=0.05, coef0=-1.0), "iris", "str", "sigmoid"),
        (NuSVC(nu=0.1, probability=True, random_state=0), "wine", "int", "probability"),
        (NuSVC(nu=0.05, decision_function_shape="ovo"), "digits", "str", "ovo"),
        (SVR(C=100.0), "diabetes", "int", ""),
        (SVR(kernel="linear", C=10.0, epsilon=5.0), "diabetes", "int", "linear"),
        (SVR(kernel="poly", degree=2), "iris", "int", "poly"),
        (SVR(epsilon=1000.0), "diabetes", "int", "no_support"),
        (NuSVR(C=50.0, nu=0.3), "diabetes", "int", ""),
        (NuSVR(kernel="sigmoid", gamma="auto", C=5.0), "breast_cancer", "int", "sigmoid"),
        (NuSVR(kernel="linear", nu=0.2), "iris", "int", "linear"),
        (NuSVR(kernel="linear", nu=0.2, max_iter=3000), "wine", "int", "linear-max_iter"),
        (OneClassSVM(nu=0.2), "iris", "int", ""),
        (OneClassSVM(gamma=1e-3, nu=0.1), "digits", "int", "gamma"),
        (OneClassSVM(gamma="auto", nu=0.1), "wine", "int", "auto"),
        (OneClassSVM(kernel="poly", degree=2, nu=0.3), "iris", "int", "poly"),
        (OneClassSVM(kernel="linear", nu=0.5), "breast_cancer", "int", "linear"),
    ]  # fmt: skip
    for est, data, labels, variant in rows:
        yield Case("svm", lambda est=est: clone(est), data, labels, variant=variant)


def _naive_bayes_cases():
    """Owned by the naive_bayes family: naive Bayes (issue 18). The discrete estimators on
    counts (digits) and non-negative measurements (iris, wine, breast_cancer)."""
    from sklearn.naive_bayes import BernoulliNB, ComplementNB, GaussianNB, MultinomialNB

    nb = lambda cls, **kw: lambda: cls(**kw)  # noqa: E731
    case = functools.partial(Case, "naive_bayes")
    for data in CLASSIFICATION:
        yield case(GaussianNB, data, "str" if data in ("wine", "digits") else "int")
    yield case(GaussianNB, "breast_cancer", "bool")
    yield case(nb(GaussianNB, var_smoothing=1e-2), "wine", variant="smoothing")
    yield case(nb(GaussianNB, priors=[0.5, 0.3, 0.2]), "iris", "str", "priors")
    for cls in (MultinomialNB, ComplementNB):
        yield case(cls, "digits")
        yield case(cls, "breast_cancer", "str")
        yield case(cls, "wine")
    yield case(nb(MultinomialNB, alpha=0.01, fit_prior=False), "iris", "str", "alpha")
    yield case(nb(MultinomialNB, class_prior=[0.5, 0.5]), "breast_cancer", variant="prior")
    # A class of prior 0: class_log_prior_ holds -inf ("-Infinity" in the document).
    yield case(nb(MultinomialNB, class_prior=[0.0, 0.3, 0.7]), "iris", variant="zero")
    yield case(nb(ComplementNB, norm=True), "digits", "str", "norm")
    yield case(nb(ComplementNB, norm=True, alpha=0.5), "iris", variant="norm")
    yield case(nb(BernoulliNB, binarize=4.0), "digits")
    yield case(nb(BernoulliNB, binarize=4.0, alpha=0.1), "digits", "str", "alpha")
    yield case(nb(BernoulliNB, binarize=3.0, fit_prior=False), "iris", "str", "fit_prior")
    yield case(nb(BernoulliNB, binarize=20.0), "breast_cancer", "bool")
    # binarize=None takes X as it is: on counts, smoothing this strong keeps every feature
    # probability below 1 (else scikit-learn computes NaN, and export refuses the model).
    yield case(nb(BernoulliNB, binarize=None, alpha=1e4), "digits", variant="raw")


def _isolation_cases():
    """Owned by the isolation family: isolation forests (issue 18)."""
    from sklearn.ensemble import IsolationForest

    make = lambda **kw: lambda: IsolationForest(n_estimators=15, random_state=0, **kw)  # noqa: E731
    yield Case("isolation", make(), "iris")
    yield Case("isolation", make(contamination=0.1), "diabetes", variant="contamination")
    # Feature subsets (each tree reads its own columns), counts and fractions of rows.
    yield Case(
        "isolation", make(max_features=0.5, contamination=0.05), "breast_cancer", variant="subsets"
    )
    yield Case(
        "isolation",
        make(max_samples=64, bootstrap=True, max_features=4),
        "wine",
        variant="bootstrap",
    )
    yield Case("isolation", make(max_samples=0.3, max_features=0.25), "digits", variant="fractions")
    yield Case("isolation", make(max_samples=1), "iris", variant="one_sample")
    yield Case("isolation", make(max_features=2), "iris_nan", tags={"nan"})


def _mlp_cases():
    """Owned by the mlp family: neural networks (issue 17). Each activation, one to three
    hidden layers, every solver (early stopping too), binary, multiclass, str and bool labels,
    regression with one and several outputs, poisson loss (scikit-learn 1.7+)."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    relu, tanh, logistic, identity = (
        {"activation": a} for a in ("relu", "tanh", "logistic", "identity")
    )
    sgd, lbfgs, early = {"solver": "sgd"}, {"solver": "lbfgs"}, {"early_stopping": True}
    table = [  # (class, hidden layers, options, dataset, labels, variant)
        (MLPClassifier, (10,), {**relu, "max_iter": 200}, "iris", "int", "relu-adam"),
        (MLPClassifier, (8, 6), {**tanh, **lbfgs, "max_iter": 100}, "iris", "str", "tanh-lbfgs"),
        (
            MLPClassifier,
            (6,),
            {**logistic, **sgd, **early, "max_iter": 50},
            "breast_cancer",
            "bool",
            "logistic-sgd-early",
        ),
        (
            MLPClassifier,
            (16,),
            {**sgd, "nesterovs_momentum": False, "max_iter": 30},
            "breast_cancer",
            "str",
            "relu-sgd",
        ),
        (MLPClassifier, (7, 5, 4), {**identity, "max_iter": 60}, "wine", "int", "identity-3"),
        (MLPClassifier, (12,), {**tanh, **early, "max_iter": 40}, "wine", "int", "tanh-early"),
        (MLPClassifier, (32, 16), {"max_iter": 20}, "digits", "int", "relu-2"),
        (MLPClassifier, (256, 128), {"max_iter": 5}, "digits", "int", "256-128"),
        (MLPClassifier, (6,), {"max_iter": 60}, "multilabel", "int", "relu-adam"),
        (MLPClassifier, (16, 8), {**tanh, "max_iter": 15}, "digits_float32", "int", "tanh"),
        (MLPRegressor, (8, 3), {"max_iter": 100}, "diabetes", "int", "relu-adam"),
        (
            MLPRegressor,
            (16, 8, 4),
            {**tanh, **sgd, "learning_rate_init": 1e-4, "max_iter": 30},
            "diabetes",
            "int",
            "tanh-sgd-3",
        ),
        (
            MLPRegressor,
            (8,),
            {**logistic, **lbfgs, "max_iter": 100},
            "multi_regression",
            "int",
            "logistic-lbfgs",
        ),
        (
            MLPRegressor,
            (6,),
            {**identity, **early, "max_iter": 50},
            "multi_regression",
            "int",
            "identity-early",
        ),
        (MLPRegressor, (8, 4), {"max_iter": 60}, "multi_regression_float32", "int", "relu-adam"),
    ]
    net = lambda c, h, **o: lambda: c(hidden_layer_sizes=h, random_state=0, **o)  # noqa: E731
    for cls, layers, options, data, labels, variant in table:
        yield Case("mlp", net(cls, layers, **options), data, labels, variant=variant)
    has_loss = lambda: "loss" in MLPRegressor().get_params()  # noqa: E731  (new in 1.7)
    poisson = net(MLPRegressor, (8,), loss="poisson", max_iter=100)
    yield Case("mlp", poisson, "diabetes", variant="poisson", needs=has_loss)


CASES = [
    case
    for case in (
        *_linear_cases(),
        *_logistic_cases(),
        *_tree_cases(),
        *_forest_cases(),
        *_boosting_cases(),
        *_hgb_cases(),
        *_scaler_cases(),
        *_polynomial_cases(),
        *_imputer_cases(),
        *_encoder_cases(),
        *_pipeline_cases(),
        *_glm_cases(),
        *_linear_classifier_cases(),
        *_svm_cases(),
        *_naive_bayes_cases(),
        *_isolation_cases(),
        *_mlp_cases(),
    )
    # Missing values as input came to each estimator in its own scikit-learn release (extra
    # trees in 1.6): a version that refuses them cannot fit these cases.
    if (case.needs is None or case.needs())
    and ("nan" not in case.tags or _compat.allows_nan(case.make()))
]
CASE_IDS = [case.id for case in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS), "case ids must be unique"


def json_objects(X) -> list:
    """The rows of a DataFrame as objects keyed by column name, NaN as null."""
    return [dict(zip(map(str, X.columns), row)) for row in json_values(X)]


def fitted_data(case_id: str) -> Dataset:
    """The dataset of a case, without fitting it (for choosing cases at collection time)."""
    return dataset(CASES[CASE_IDS.index(case_id)].data)


@functools.cache
def fitted(case_id: str):
    """``(estimator, dataset)`` for a case, fitted once per test session."""
    case = CASES[CASE_IDS.index(case_id)]
    data = dataset(case.data)
    est = case.make()
    y = data.y_train
    if is_classifier(est):
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
    # An isolation forest's trees may each see a subset of the columns (their features index it).
    subsets = getattr(est, "estimators_features_", None)
    if subsets is None or _compat.isolation_internals(est)["max_features"] == est.n_features_in_:
        subsets = [None] * len(trees)
    pairs = []
    for tree, columns in zip(trees, subsets):
        inner = tree.children_left != -1
        features = (
            tree.feature[inner] if columns is None else np.asarray(columns)[tree.feature[inner]]
        )
        pairs.extend(zip(features, tree.threshold[inner]))
    if type(est).__name__.startswith("HistGradientBoosting"):  # numeric splits, input columns
        columns = _compat.hgb_internal_columns(est)
        for nodes, _ in (tree for it in _compat.hgb_predictors(est) for tree in it):
            inner = (nodes["is_leaf"] == 0) & (nodes["is_categorical"] == 0)
            pairs.extend(zip(columns[nodes["feature_idx"][inner]], nodes["num_threshold"][inner]))
    return pairs


def probe_rows(est, data: Dataset, max_splits: int = 60, seed: int = 0) -> np.ndarray:
    """Held-out rows, plus rows put exactly on split thresholds, between float32(threshold) and
    threshold, one ulp either side, and (where the model allows them) missing values."""
    if not _numeric(data.X_test):  # mixed types: its held-out rows hold the adversarial values
        return data.X_test
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
    """Everything the estimator predicts for ``X``, the leaves ``apply`` finds and log
    probabilities included: what a Python round trip must reproduce (log(0) is -inf)."""
    with np.errstate(divide="ignore"):
        return _fidelity.predictions(
            est, X, (*_fidelity.RUNTIME_METHODS, "apply", "predict_log_proba")
        )


def _numeric(X) -> bool:
    return isinstance(X, np.ndarray) and X.dtype.kind in "fiub"


def json_values(value):
    """Arrays (or per-output lists of arrays, or DataFrames) as JSON values, NaN as null."""
    if isinstance(value, list):
        return [json_values(v) for v in value]
    if hasattr(value, "iloc") or getattr(getattr(value, "dtype", None), "kind", "") == "O":
        return json_rows(value)  # (a table of mixed types: the rows the demo writes too)
    a = np.asarray(value)
    if a.dtype.kind == "f":
        out = a.astype(object)
        out[np.isnan(a)] = None
        return out.tolist()
    return a.tolist()
