"""Every shim for differences between scikit-learn versions lives here, and only here.

Documents do not depend on scikit-learn's private pickled layout: a tree is rebuilt from the
document's columns through the *running* scikit-learn's own node dtype, so a document written
under one version loads under another. Fields this version's nodes have but the document lacks
get the defaults below; fields the document has but this version lacks are dropped.
"""

from __future__ import annotations

import functools
import inspect
import warnings

import numpy as np
import sklearn
from sklearn.tree._tree import NODE_DTYPE, Tree

from .errors import InvalidModelError, UnsupportedModelError

SKLEARN_VERSION = sklearn.__version__

# Node fields a document may lack (compact documents leave out the statistics), with the value
# the rebuilt tree gets instead. The statistics are never read: a tree without them is a
# CompactTree, which raises where they would be used.
NODE_DEFAULTS = {
    "impurity": np.nan,
    "n_node_samples": 0,
    "weighted_n_node_samples": np.nan,
    "missing_go_to_left": 0,
}


STATISTICS = ("impurity", "n_node_samples", "weighted_n_node_samples")


def _not_stored(name: str):
    raise AttributeError(
        f"{name} is not available: this model was loaded from a document written with "
        "compact=True, which leaves out the tree node statistics it needs (write the model "
        "without compact=True to keep them)"
    )


class CompactTree(Tree):
    """A tree from a compact document: it predicts as any other, but the node statistics it
    was written without, and what is computed from them (``feature_importances_``), raise
    AttributeError naming the option instead of giving NaN. Pickled, it is a plain Tree."""

    def compute_feature_importances(self, normalize=True):
        _not_stored("feature_importances_")

    impurity = property(lambda self: _not_stored("tree_.impurity"))
    n_node_samples = property(lambda self: _not_stored("tree_.n_node_samples"))
    weighted_n_node_samples = property(lambda self: _not_stored("tree_.weighted_n_node_samples"))


def build_tree(columns: dict, n_features: int, n_classes, n_outputs: int, max_depth: int) -> Tree:
    """A ``sklearn.tree._tree.Tree`` filled from plain, already validated node columns.

    ``columns`` maps node field names (as in ``NODE_DTYPE``, e.g. ``left_child``) to arrays of
    ``node_count`` entries and ``"value"`` to the ``(node_count, n_outputs, max_classes)`` array.
    Without the node statistics (a compact document) it is a :class:`CompactTree`.
    """
    value = np.ascontiguousarray(columns["value"], dtype=np.float64)
    nodes = np.zeros(len(value), dtype=NODE_DTYPE)
    for name in NODE_DTYPE.names:
        nodes[name] = columns[name] if name in columns else NODE_DEFAULTS[name]
    kind = Tree if all(name in columns for name in STATISTICS) else CompactTree
    tree = kind(n_features, np.asarray(n_classes, dtype=np.intp).reshape(-1), n_outputs)
    tree.__setstate__(
        {"max_depth": int(max_depth), "node_count": len(value), "nodes": nodes, "values": value}
    )
    return tree


def tree_columns(tree: Tree) -> dict:
    """The node columns of a fitted ``Tree``; ``missing_go_to_left`` is 0 where it is unknown."""
    columns = {
        "children_left": tree.children_left,
        "children_right": tree.children_right,
        "feature": tree.feature,
        "threshold": tree.threshold,
        "missing_go_to_left": getattr(tree, "missing_go_to_left", None),
        "value": tree.value,
        "impurity": tree.impurity,
        "n_node_samples": tree.n_node_samples,
        "weighted_n_node_samples": tree.weighted_n_node_samples,
    }
    if columns["missing_go_to_left"] is None:  # scikit-learn < 1.3
        columns["missing_go_to_left"] = np.zeros(tree.node_count, dtype=np.uint8)
    return columns


def allows_nan(est) -> bool:
    """Whether this scikit-learn lets ``est`` (fitted or not) take missing values as input:
    its estimator tags (``__sklearn_tags__`` from 1.6, ``_get_tags()`` before)."""
    if hasattr(est, "__sklearn_tags__"):
        try:
            return bool(est.__sklearn_tags__().input_tags.allow_nan)
        except AttributeError:  # 1.4/1.5 define the method only to warn about it
            pass
    return bool(est._get_tags().get("allow_nan", False))


def stage_tree_criterion(booster) -> str:
    """The criterion gradient boosting gives its stage trees: its own ``criterion`` up to
    scikit-learn 1.8, always "squared_error" once the parameter is deprecated (1.9)."""
    return "squared_error" if _criterion_deprecated(type(booster)) else booster.criterion


@functools.cache
def _criterion_deprecated(booster_class) -> bool:
    # Asked once per class, not once per stage tree (a load builds hundreds of them).
    return booster_class().criterion == "deprecated"


# Placeholder values that mark a parameter as deprecated ("deprecated") or about to change its
# default ("warn"): the writer's version then behaved as by default, and so does this one.
PLACEHOLDERS = ("deprecated", "warn")


def probability_scheme(est) -> str:
    """How this scikit-learn turns a fitted LogisticRegression's decision values into
    probabilities: "ovr" (expit of each, then divided by their sum; ``[1 - p, p]`` for two
    classes) or "multinomial" (softmax; of ``[-d, d]`` for two classes).

    Which one depends on ``multi_class``, the solver, the number of classes and the version
    (newton-cholesky went multinomial in 1.6; ``multi_class`` is gone from 1.8, where two
    classes are one-vs-rest and more multinomial), so it is asked of the estimator itself:
    its probabilities on a few rows are the one-vs-rest ones, bit for bit, or they are not.
    """
    rows = np.vstack([est.coef_, -est.coef_, np.zeros_like(est.coef_[:1])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (a deprecated multi_class value warns)
        same = np.array_equal(est.predict_proba(rows), est._predict_proba_lr(rows))
    return "ovr" if same else "multinomial"


def use_probability_scheme(est, scheme: str) -> None:
    """Make a rebuilt LogisticRegression compute probabilities as the document's writer did,
    or refuse it where this scikit-learn cannot."""
    if probability_scheme(est) == scheme:
        return
    if "multi_class" in est.get_params():  # up to 1.7: say it explicitly
        est.multi_class = scheme
        if probability_scheme(est) == scheme:
            return
    raise UnsupportedModelError(
        f"LogisticRegression: this document's probabilities are {scheme} ones, which "
        f"scikit-learn {SKLEARN_VERSION} does not compute for this model (its multi_class "
        "parameter is gone from 1.8); load it with the scikit-learn version that wrote it"
    )


@functools.cache
def parameters(estimator_class) -> dict:
    """The constructor's parameters of a class (name -> ``inspect.Parameter``), once per class."""
    return dict(inspect.signature(estimator_class).parameters)


def checked_estimator(estimator_class, params: dict):
    """An estimator of the document's hyperparameters as this scikit-learn takes them,
    constructed once (and once more per placeholder dropped).

    A parameter this version does not know (written by another version) is dropped with a
    warning, and so is a placeholder value it does not accept; parameters missing from the
    document keep this version's defaults. (A codec whose predictions could change with such
    a parameter records what it decided in the state, and checks it: see
    :func:`use_probability_scheme`.) Any other value this version's parameter rules refuse
    is an ``InvalidModelError`` at ``/params/<name>``.
    """
    name = estimator_class.__name__
    known = parameters(estimator_class)
    dropped = sorted(set(params) - set(known))
    params = {k: v for k, v in params.items() if k in known}
    placeholders = []
    while True:
        est = estimator_class(**params)
        try:
            est._validate_params()
            break
        except (ValueError, TypeError) as exc:  # the message names the parameter: '<name>'
            key = next((k for k in params if f"'{k}'" in str(exc)), None)
            if key is None or params[key] not in PLACEHOLDERS:
                raise InvalidModelError(f"/params/{key}" if key else "/params", str(exc)) from None
            placeholders.append(f"{key}={params.pop(key)!r}")
    if dropped:
        _warn(f"{name}: scikit-learn {SKLEARN_VERSION} has no parameter {', '.join(dropped)}; "
              "the document's value is ignored")  # fmt: skip
    if placeholders:
        _warn(f"{name}: scikit-learn {SKLEARN_VERSION} does not take {', '.join(placeholders)}, "
              "a placeholder for the default behaviour; its own default is used")  # fmt: skip
    return est


# ---------------------------------------------------------------- private attributes

# What ``set_output(transform="pandas")`` records on an estimator (since 1.2).
OUTPUT_CONFIG = "_sklearn_output_config"


def output_config(est) -> dict:
    """The output container ``set_output`` chose for ``est`` (``{"transform": "pandas"}``), or
    an empty dict for scikit-learn's default."""
    config = getattr(est, OUTPUT_CONFIG, None) or {}
    return {k: v for k, v in config.items() if k == "transform" and v != "default"}


# What a forest keeps of its training rows (for ``estimators_samples_`` and OOB scoring), by
# document field: private attributes, present since 1.4 (and not in compact documents).
FOREST_SAMPLES = {
    "n_samples": "_n_samples",
    "n_samples_bootstrap": "_n_samples_bootstrap",
    "sample_weight": "_sample_weight",
}


def init_raw_prediction(booster) -> np.ndarray:
    """Gradient boosting's raw prediction before its first stage (one row's)."""
    return booster._raw_predict_init(np.zeros((1, booster.n_features_in_)))[0]


def attach_loss(booster) -> dict:
    """Give a rebuilt booster the loss object ``fit`` would have made; return it as a fitted
    attribute."""
    booster._loss = booster._get_loss(sample_weight=None)
    return {"_loss": booster._loss}


def dummy_strategy(strategy: str) -> dict:
    """The fitted attribute a DummyClassifier keeps of its strategy."""
    return {"_strategy": strategy}


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=5)


# ---- scaler


def maxabs_clips(est) -> bool:
    """Whether a MaxAbsScaler clips its output to [-1, 1] (its ``clip`` parameter is new in
    1.8: a version without it never clips)."""
    from sklearn.preprocessing import MaxAbsScaler

    return isinstance(est, MaxAbsScaler) and bool(getattr(est, "clip", False))


# ---- polynomial


def polynomial_degrees(min_degree: int, max_degree: int, n_out_full: int) -> dict:
    """What PolynomialFeatures.fit keeps of its degrees besides ``n_output_features_`` (the same
    private names from 1.4 to 1.9): the range of degrees and the number of columns its dense
    transform builds before it drops those below the smallest degree."""
    return {"_min_degree": min_degree, "_max_degree": max_degree, "_n_out_full": n_out_full}


# ---- imputer


@functools.cache
def _constant_imputer():
    """A SimpleImputer(strategy="constant") fitted on one feature without any observed value:
    how this version fits that strategy (see :func:`constant_drops_empty`)."""
    from sklearn.impute import SimpleImputer

    return SimpleImputer(strategy="constant", fill_value=0.0).fit(np.array([[np.nan]]))


def constant_drops_empty() -> bool:
    """Whether SimpleImputer(strategy="constant") drops a feature without observed values
    (from 1.8: its statistic is NaN, dtype object) rather than filling it (before: every
    statistic is ``fill_value``, of X's dtype, and no feature is dropped)."""
    return bool(np.isnan(float(_constant_imputer().statistics_[0])))


def imputer_fit_dtype(est) -> np.dtype:
    """The dtype of the X a SimpleImputer was fitted on (``_fit_dtype``)."""
    return est._fit_dtype


def imputer_private(fit_dtype: np.dtype) -> dict:
    """The private attributes a SimpleImputer's ``fit`` leaves for X of ``fit_dtype``:
    ``_fit_dtype``, and from 1.8 ``_fill_dtype`` (the same dtype)."""
    private = {"_fit_dtype": fit_dtype}
    if hasattr(_constant_imputer(), "_fill_dtype"):
        private["_fill_dtype"] = fit_dtype
    return private


def missing_indicator(missing_values, n_features: int, features: np.ndarray):
    """The ``indicator_`` a SimpleImputer with ``add_indicator=True`` fits: a MissingIndicator
    fitted on the imputer's mask of missing values (private ``_precomputed``, ``_n_features``)."""
    from sklearn.impute import MissingIndicator

    indicator = MissingIndicator(missing_values=missing_values, error_on_new=False)
    indicator._precomputed = True
    indicator.n_features_in_ = n_features
    indicator._n_features = n_features
    indicator.features_ = features
    return indicator


def indicator_checked(indicator) -> np.ndarray:
    """The ``features_`` of a SimpleImputer's ``indicator_``, refused unless it is the
    MissingIndicator ``fit`` makes (one imputer's mask, missing-only features, dense or sparse
    as X)."""
    from sklearn.impute import MissingIndicator

    if not (
        type(indicator) is MissingIndicator
        and getattr(indicator, "_precomputed", False)
        and indicator.features == "missing-only"
        and indicator.sparse == "auto"
        and not indicator.error_on_new
    ):
        raise UnsupportedModelError(
            "SimpleImputer: indicator_ is not the MissingIndicator that fit makes"
        )
    return indicator.features_


# ---- pipeline
# What a fitted ColumnTransformer keeps of its columns: private since 1.0, and the remainder's
# columns named differently by version (indices up to 1.4; 1.5 and 1.6 indices that warn,
# unless force_int_remainder_cols=False; from 1.7 the kind of the other columns: names, masks).


def column_indices(ct) -> dict:
    """Each entry's input columns as indices, by name ("remainder" included)."""
    return {name: [int(i) for i in idx] for name, idx in ct._transformer_to_input_indices.items()}


def remainder_columns(ct, indices: list, n_features: int, names):
    """The remainder's columns as this version writes them in ``transformers_`` (by the kind
    of ``ct.transformers``' columns, its input's width and names)."""
    own = getattr(ct, "_get_remainder_cols", None)
    if own is None:
        return list(indices)
    ct.n_features_in_ = n_features
    if names is not None:
        ct.feature_names_in_ = names
    return own(indices)


def column_transformer_columns(columns: list, remainder: tuple, indices: dict) -> dict:
    """The private attributes a fitted ColumnTransformer keeps of its columns: each entry's
    columns as given, the remainder's entry, and every entry's columns as indices."""
    return {"_columns": columns, "_remainder": remainder, "_transformer_to_input_indices": indices}


def passthrough_transformer(n_features: int, names, ct):
    """The identity a ColumnTransformer fits for "passthrough" columns (with its output
    config), fitted on ``n_features`` columns named ``names`` (None: no names)."""
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.utils._set_output import _get_output_config

    identity = FunctionTransformer(
        accept_sparse=True, check_inverse=False, feature_names_out="one-to-one"
    ).set_output(transform=_get_output_config("transform", ct)["dense"])
    identity.n_features_in_ = n_features
    if names is not None:
        identity.feature_names_in_ = np.asarray(names, dtype=object)
    return identity


# ---- encoder
# OneHotEncoder and OrdinalEncoder keep the same private layout from 1.4 to 1.9:
# ``_infrequent_enabled``, ``_infrequent_indices``, ``_default_to_infrequent_mappings``;
# OneHotEncoder ``_drop_idx_after_grouping``, ``_n_features_outs``; OrdinalEncoder
# ``_missing_indices``. handle_unknown="warn" is new in 1.6.


def encoder_infrequent(est) -> list | None:
    """A fitted encoder's infrequent categories as indices into ``categories_`` (None for a
    feature without any), or None when it does not group them (no min_frequency nor
    max_categories)."""
    if not est._infrequent_enabled:
        return None
    return [None if idx is None else [int(k) for k in idx] for idx in est._infrequent_indices]


def encoder_groups_infrequent(est) -> bool:
    """Whether an encoder's parameters make ``fit`` group infrequent categories."""
    est._check_infrequent_enabled()
    return bool(est._infrequent_enabled)


@functools.cache
def onehot_takes_warn() -> bool:
    """Whether this OneHotEncoder takes handle_unknown="warn" (from 1.6)."""
    from sklearn.preprocessing import OneHotEncoder

    try:
        OneHotEncoder(handle_unknown="warn")._validate_params()
    except (ValueError, TypeError):
        return False
    return True


def onehot_warn_encodes_as() -> str | None:
    """How this OneHotEncoder's handle_unknown="warn" encodes unknown categories: as
    "infrequent_if_exist" does (from 1.8), as "ignore" does (1.6 and 1.7, whose
    ``_map_infrequent_categories`` groups unknown values only for "infrequent_if_exist"), or
    None (before 1.6: no "warn")."""
    if not onehot_takes_warn():
        return None
    return "ignore" if SKLEARN_VERSION.startswith(("1.6.", "1.7.")) else "infrequent_if_exist"


def encoder_fitted(est, categories: list, infrequent: list | None) -> dict:
    """The fitted attributes, public and private, that ``fit`` leaves on ``est`` (a
    OneHotEncoder or OrdinalEncoder whose parameters are set) for these ``categories_`` and
    infrequent category indices (None: no grouping); one-hot's ``drop_idx_`` is computed from
    its ``drop`` parameter by scikit-learn itself (ValueError where it cannot be)."""
    from sklearn.preprocessing import OneHotEncoder

    ordinal = not isinstance(est, OneHotEncoder)
    missing = {}
    if ordinal:  # a NaN category, always last, is encoded apart (encoded_missing_value)
        missing = {
            i: cats.size - 1
            for i, cats in enumerate(categories)
            if isinstance(cats[-1], (float, np.floating)) and np.isnan(cats[-1])
        }
    fitted = {"categories_": categories, "_infrequent_enabled": infrequent is not None}
    if infrequent is not None:
        mappings = []
        for i, indices in enumerate(infrequent):
            if indices is None:
                mappings.append(None)
                continue
            n = len(categories[i]) - (i in missing)
            mapping = np.empty(n, dtype=np.int64)
            mapping[indices] = n - indices.size
            frequent = np.setdiff1d(np.arange(n), indices)
            mapping[frequent] = np.arange(frequent.size)
            mappings.append(mapping)
        fitted["_infrequent_indices"] = [
            None if idx is None else np.asarray(idx, dtype=np.intp) for idx in infrequent
        ]
        fitted["_default_to_infrequent_mappings"] = mappings
    if ordinal:
        fitted["_missing_indices"] = missing
        return fitted
    for key, value in fitted.items():
        setattr(est, key, value)
    est._set_drop_idx()
    fitted["drop_idx_"] = est.drop_idx_
    fitted["_drop_idx_after_grouping"] = est._drop_idx_after_grouping
    fitted["_n_features_outs"] = est._compute_n_features_outs()
    return fitted


# ---- hgb
# HistGradientBoosting keeps the same private layout from 1.4 to 1.9: ``_predictors`` (lists of
# TreePredictor, nodes of PREDICTOR_RECORD_DTYPE), ``_baseline_prediction`` (1, K), ``_loss``,
# ``_bin_mapper``, and for categorical features ``_preprocessor`` (an OrdinalEncoder whose
# output, the encoded categories, comes before the numeric columns) and
# ``_is_categorical_remapped``. ``predict`` of a binary classifier: argmax of the
# probabilities in 1.4, ``raw > 0`` from 1.5 (they differ where expit(raw) rounds to 0.5:
# raw in (0, about 1.1e-16]).


def hgb_predictors(est) -> list:
    """``[[(nodes, raw_left_cat_bitsets), ... per class], ... per iteration]``."""
    return [[(p.nodes, p.raw_left_cat_bitsets) for p in it] for it in est._predictors]


def hgb_baseline(est) -> np.ndarray:
    """The raw prediction every row starts from, one value per tree of an iteration."""
    return np.asarray(est._baseline_prediction).reshape(-1)


def hgb_internal_columns(est) -> np.ndarray:
    """The input column of each column the trees read (categorical ones first, from 1.4)."""
    mask = getattr(est, "_is_categorical_remapped", None)
    if mask is None or est.is_categorical_ is None:
        return np.arange(est.n_features_in_)
    return np.concatenate(
        [np.flatnonzero(est.is_categorical_), np.flatnonzero(~est.is_categorical_)]
    )


def hgb_categories(est) -> list:
    """The categories the internal OrdinalEncoder found, one array per categorical feature in
    input order (NaN last where the training data had missing values)."""
    if getattr(est, "_preprocessor", None) is None:
        return []
    return list(est._preprocessor.named_transformers_["encoder"].categories_)


def hgb_bin_thresholds(est) -> list:
    """The ``_bin_mapper``'s bin thresholds, one array per internal column."""
    return list(est._bin_mapper.bin_thresholds_)


def hgb_rebuild(est, X, predictors: list, baseline: np.ndarray, bin_thresholds) -> None:
    """Make ``est`` (parameters set) predict with these trees: its own ``_preprocess_X`` fits
    the running version's preprocessing (categorical columns, names) on ``X``, a few rows
    holding every known category; then ``_BinMapper``, ``_predictors``, ``_baseline_prediction``,
    ``_loss`` (and a classifier's ``_label_encoder``) as ``fit`` leaves them. ``predictors``
    holds ``(columns, bitsets)`` per tree: node columns by PREDICTOR_RECORD_DTYPE name, bitsets
    over encoded categories. ``est`` already has ``n_trees_per_iteration_`` (and
    ``classes_``)."""
    from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _, known = est._preprocess_X(X, reset=True)
        except (ValueError, TypeError) as exc:  # (parameters that do not fit the state)
            raise InvalidModelError("/params/categorical_features", str(exc)[:300]) from None
    internal = hgb_internal_columns(est)
    n_features = len(internal)
    remapped = est._is_categorical_remapped
    mapper = _BinMapper(
        n_bins=est.max_bins + 1,
        is_categorical=remapped,
        known_categories=known,
        random_state=None,
        n_threads=None,
    )
    mapper.missing_values_bin_idx_ = est.max_bins
    mapper.is_categorical_ = (
        np.zeros(n_features, dtype=np.uint8) if remapped is None else remapped.astype(np.uint8)
    )
    thresholds = [np.empty(0, dtype=np.float64)] * n_features  # (one array: not read)
    for j in range(n_features):
        if known is not None and known[j] is not None:
            thresholds[j] = known[j]
        elif bin_thresholds is not None and bin_thresholds[j] is not None:
            thresholds[j] = np.asarray(bin_thresholds[j], dtype=np.float64)
    mapper.bin_thresholds_ = thresholds
    mapper.n_bins_non_missing_ = np.fromiter(
        (len(t) + 1 - int(c) for t, c in zip(thresholds, mapper.is_categorical_)),
        np.uint32,
        n_features,
    )
    est._bin_mapper = mapper
    built = []
    for iteration in predictors:
        trees = []
        for columns, bitsets in iteration:
            nodes = np.zeros(len(columns["value"]), dtype=PREDICTOR_RECORD_DTYPE)
            for name in PREDICTOR_RECORD_DTYPE.names:
                if name in columns:
                    nodes[name] = columns[name]
            bits = np.ascontiguousarray(bitsets, dtype=np.uint32).reshape(-1, 8)
            trees.append(TreePredictor(nodes, bits, bits.copy()))
        built.append(trees)
    est._predictors = built
    est._baseline_prediction = np.asarray(baseline, dtype=np.float64).reshape(1, -1)
    est._n_features = n_features
    est._loss = est._get_loss(sample_weight=None)
    if hasattr(est, "classes_"):  # (what fit encodes y with)
        from sklearn.preprocessing import LabelEncoder

        est._label_encoder = LabelEncoder()
        est._label_encoder.classes_ = est.classes_


# ---- fidelity


def svm_gamma(est) -> float:
    """The kernel coefficient a fitted SVM uses ("scale" and "auto" resolved at fit)."""
    return float(est._gamma)


# ---- svm
# libsvm-based estimators (SVC, NuSVC, SVR, NuSVR, OneClassSVM) keep the same private layout
# from 1.4 to 1.9: libsvm's own signs in ``_dual_coef_`` and ``_intercept_`` (the public ones are
# negated for two classes), ``_n_support`` (regressors and one-class: ``[n_SV, n_SV]``),
# ``_probA``/``_probB``, ``_gamma``, ``_sparse``, ``_num_iter``; 1.9 adds
# ``_effective_probability`` (``probability`` may be the placeholder "deprecated").


def svm_internals(est) -> dict:
    """What a fitted libsvm estimator predicts with, by the names of the document's fields:
    libsvm's ``dual_coef`` and ``intercept``, ``n_support``, ``prob_a``/``prob_b`` (empty without
    probability estimates), ``gamma``, ``sparse``, ``num_iter``."""
    return {
        "dual_coef": est._dual_coef_,
        "intercept": est._intercept_,
        "n_support": est._n_support,
        "prob_a": est._probA,
        "prob_b": est._probB,
        "gamma": est._gamma,
        "sparse": bool(est._sparse),
        "num_iter": est._num_iter,
    }


@functools.cache
def _svm_has_effective_probability() -> bool:
    from sklearn.svm import SVR

    return hasattr(SVR().fit([[0.0], [1.0]], [0.0, 1.0]), "_effective_probability")


def svm_private(est, dual_coef, intercept, n_support, prob_a, prob_b, gamma, num_iter) -> dict:
    """The private attributes ``fit`` leaves on a dense libsvm estimator (``est``, parameters
    set), from libsvm's own arrays (already checked: shapes, counts, dtypes as libsvm takes
    them)."""
    private = {
        "_dual_coef_": dual_coef,
        "_intercept_": intercept,
        "_n_support": n_support,
        "_probA": prob_a,
        "_probB": prob_b,
        "_gamma": gamma,
        "_sparse": False,
        "_num_iter": num_iter,
    }
    if _svm_has_effective_probability():
        probability = est.probability
        private["_effective_probability"] = probability if probability != "deprecated" else False
    return private


# ---- linear
# RidgeCV keeps its cross-validation values as ``cv_values_`` up to 1.4 and ``cv_results_``
# from 1.5 (with the parameter store_cv_results). SGDRegressor and PassiveAggressiveRegressor
# with ``average`` keep the plain and the averaged weights apart (the same private names from
# 1.4 to 1.9); prediction reads ``coef_`` and ``intercept_`` only, partial_fit the others.
SGD_WEIGHTS = ("_standard_coef", "_standard_intercept", "_average_coef", "_average_intercept")


def ridge_cv_results_name() -> str:
    """The attribute name of RidgeCV's stored cross-validation values in this version."""
    from sklearn.linear_model import RidgeCV

    return "cv_results_" if "store_cv_results" in parameters(RidgeCV) else "cv_values_"


def sgd_weights(est) -> list | None:
    """An averaging SGD regressor's plain and averaged weights (:data:`SGD_WEIGHTS` order), or
    None where it keeps none (``average`` off)."""
    if getattr(est, "_average_coef", None) is None:
        return None
    return [getattr(est, name) for name in SGD_WEIGHTS]


def sgd_private(weights: list) -> dict:
    """The private attributes of an averaging SGD regressor, from :func:`sgd_weights`."""
    return dict(zip(SGD_WEIGHTS, weights))


# ---- glm
# A fitted GLM keeps its loss (and so its link) as ``_base_loss``, built by ``_get_loss()``
# from the parameters (TweedieRegressor: link and power), 1.4 to 1.9 alike.


def glm_loss(est):
    """The loss ``fit`` gives a GLM whose parameters are set: this version's ``_get_loss()``."""
    return est._get_loss()


def glm_link(loss) -> str:
    """The link of a GLM's loss: "log" or "identity"."""
    name = type(loss.link).__name__
    return {"LogLink": "log", "IdentityLink": "identity"}.get(name, name)


def glm_private(loss) -> dict:
    """The private attributes a GLM's ``fit`` leaves: its loss."""
    return {"_base_loss": loss}


def glm_fitted_loss(est):
    """A fitted GLM's loss."""
    return est._base_loss


# ---- mlp


def mlp_label_binarizer(classes: np.ndarray, y_type: str) -> dict:
    """The fitted ``LabelBinarizer`` an MLPClassifier's ``predict`` reads (``y_type`` is
    "binary", "multiclass" or "multilabel-indicator"), as fit leaves it."""
    from sklearn.preprocessing import LabelBinarizer

    binarizer = LabelBinarizer()
    binarizer.y_type_ = y_type
    binarizer.sparse_input_ = False
    binarizer.classes_ = classes
    return {"_label_binarizer": binarizer}


def mlp_has_exp_output() -> bool:
    """Whether this scikit-learn's networks can end in ``exp`` (MLPRegressor's poisson loss,
    new in 1.7)."""
    from sklearn.neural_network._base import ACTIVATIONS

    return "exp" in ACTIVATIONS


# ---- linear_classifier


def _at_least(major: int, minor: int) -> bool:
    return tuple(int(p) for p in SKLEARN_VERSION.split(".")[:2]) >= (major, minor)


#: From 1.6 a binary RidgeClassifier(CV) keeps ``coef_`` one-dimensional (n_features,).
RIDGE_BINARY_COEF_1D = _at_least(1, 6)


def ridge_target_type(est) -> str:
    """The target type RidgeClassifier(CV) was fitted on ("binary", "multiclass", or a
    multilabel one), from its private LabelBinarizer."""
    return est._label_binarizer.y_type_


def ridge_labels(est, classes: np.ndarray) -> dict:
    """The attributes that give a rebuilt RidgeClassifier(CV) its labels: a private
    LabelBinarizer (``classes_`` is a property over it up to 1.7, an attribute beside it
    from 1.8)."""
    from sklearn.preprocessing import LabelBinarizer

    binarizer = LabelBinarizer(pos_label=1, neg_label=-1)
    binarizer.classes_ = classes
    binarizer.y_type_ = "binary" if len(classes) == 2 else "multiclass"
    binarizer.sparse_input_ = False
    attributes = {"_label_binarizer": binarizer}
    if not isinstance(getattr(type(est), "classes_", None), property):
        attributes["classes_"] = classes
    return attributes


def ridge_cv_alpha(est, alpha: float):
    """RidgeClassifierCV's ``alpha_`` of the type this version's fit leaves: numpy's float64,
    but a Python float from the leave-one-out search (``cv=None``) from 1.8."""
    return float(alpha) if est.cv is None and _at_least(1, 8) else np.float64(alpha)


#: Where RidgeClassifierCV keeps its leave-one-out values (``store_cv_results``, 1.5).
RIDGE_CV_RESULTS = "cv_results_" if _at_least(1, 5) else "cv_values_"


def sgd_loss_function(est) -> dict:
    """The private loss object fit leaves on SGD-trained classifiers (1.4 and 1.5 show it as
    the deprecated ``loss_function_``); PassiveAggressiveClassifier fits with the hinge loss
    whatever its ``loss`` says."""
    passive = type(est).__name__ == "PassiveAggressiveClassifier"
    return {"_loss_function_": est._get_loss_function("hinge" if passive else est.loss)}


# ---- isolation
# IsolationForest keeps the same private layout from 1.4 to 1.9: ``_max_samples`` (rows drawn
# per tree, equal to ``max_samples_``), ``_max_features`` (columns per tree), ``_n_samples`` and
# ``_seeds`` (replayed by ``estimators_samples_``), ``_average_path_length_per_tree`` and
# ``_decision_path_lengths`` (tuples of per-node arrays: ``c(n_node_samples)`` in float64, the
# depths ``tree_.compute_node_depths()`` in int64); ``_sample_weight`` from 1.8 (weighted draws).
# The trees' template is the ``estimator`` parameter in 1.4, ``_get_estimator()`` from 1.5.


def isolation_internals(est) -> dict:
    """What a fitted IsolationForest keeps privately, by the names the codec uses."""
    return {
        "max_samples": est._max_samples,
        "max_features": est._max_features,
        "n_samples": est._n_samples,
        "seeds": est._seeds,
        "sample_weight": getattr(est, "_sample_weight", None),
        "path_lengths": est._average_path_length_per_tree,
    }


def isolation_average_path_length(n_samples) -> float:
    """``c(n)``, the average path length of an isolation tree of ``n`` rows, as this
    scikit-learn computes it for ``max_samples_``."""
    from sklearn.ensemble._iforest import _average_path_length

    return float(_average_path_length([n_samples])[0])


def isolation_template(est):
    """The tree (an unfitted ExtraTreeRegressor) whose parameters fit gives every tree."""
    make = getattr(est, "_get_estimator", None)
    return make() if make is not None else est.estimator


@functools.cache
def _bagging_weighs_draws() -> bool:
    from sklearn.ensemble import _bagging

    return "sample_weight" in inspect.signature(_bagging._generate_bagging_indices).parameters


def isolation_private(
    max_samples, max_features, n_samples, seeds, sample_weight, path_lengths, depths
) -> dict:
    """The private attributes fit leaves on an IsolationForest (``n_samples`` None: a compact
    document, which cannot replay ``estimators_samples_``)."""
    private = {
        "_max_samples": max_samples,
        "_max_features": max_features,
        "_seeds": seeds,
        "_average_path_length_per_tree": path_lengths,
        "_decision_path_lengths": depths,
    }
    if n_samples is not None:
        private["_n_samples"] = n_samples
        if _bagging_weighs_draws():
            private["_sample_weight"] = sample_weight
        elif sample_weight is not None:
            _warn(f"IsolationForest: scikit-learn {SKLEARN_VERSION} draws rows without weights; "
                  "estimators_samples_ are not the rows the trees were grown on (predictions "
                  "are unaffected)")  # fmt: skip
    return private


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def linear_params(estimator_class, params: dict) -> dict:
    """A linear regressor's parameters from a document written by any version, with the same
    meaning as this scikit-learn spells it (unchanged where it already takes them):

    - LassoCV, ElasticNetCV: the number of alphas is ``n_alphas`` (with ``alphas=None``) up to
      1.6, ``alphas`` from 1.7 (1.7 and 1.8 default to ``alphas="warn"``,
      ``n_alphas="deprecated"``: 100 alphas); 1.9 has no ``n_alphas``.
    - BayesianRidge, ARDRegression: ``max_iter=None`` (1.4's default) means ``n_iter``
      iterations (300 by default); from 1.5 max_iter is an integer, 300 by default.
    - RidgeCV: ``store_cv_values`` up to 1.4; 1.5 and 1.6 take both (``store_cv_results=None``:
      as store_cv_values says); ``store_cv_results`` only from 1.7.
    """
    from sklearn.linear_model import ARDRegression, BayesianRidge, ElasticNetCV, LassoCV, RidgeCV

    known = parameters(estimator_class)
    params = dict(params)
    if estimator_class in (LassoCV, ElasticNetCV):
        alphas, n_alphas = params.get("alphas"), params.get("n_alphas")
        explicit = isinstance(alphas, (list, tuple))
        if "n_alphas" in known and known["n_alphas"].default not in PLACEHOLDERS:  # up to 1.6
            if not explicit and (_count(alphas) or alphas == "warn" or n_alphas in PLACEHOLDERS):
                params["n_alphas"] = _count(alphas) or _count(n_alphas) or 100
                params["alphas"] = None
        elif "n_alphas" not in known and not explicit and _count(alphas) is None:  # 1.9
            params["alphas"] = _count(n_alphas) or 100
        if "n_alphas" not in known:
            params.pop("n_alphas", None)
    elif estimator_class in (BayesianRidge, ARDRegression):
        if params.get("max_iter", 0) is None and known["max_iter"].default is not None:
            params["max_iter"] = _count(params.get("n_iter")) or 300
        if "n_iter" not in known:
            params.pop("n_iter", None)
    elif estimator_class is RidgeCV:
        results, values = params.get("store_cv_results"), params.get("store_cv_values")
        stored = results if isinstance(results, bool) else values is True
        if "store_cv_results" not in known:  # 1.4
            params.pop("store_cv_results", None)
            params["store_cv_values"] = stored
        elif "store_cv_values" not in known:  # from 1.7
            params.pop("store_cv_values", None)
            params["store_cv_results"] = stored
    return params


# ---- linear_classifier (continued)


def linear_classifier_params(estimator_class, params: dict) -> dict:
    """A linear classifier's parameters from a document written by any version, with the same
    meaning as this scikit-learn spells it (unchanged where it already takes them):

    - SGDClassifier: ``eta0=0.0`` (the default up to 1.7, unused by ``learning_rate=
      "optimal"``) must be positive from 1.8, whose default then stands in for it.
    - RidgeClassifierCV: ``store_cv_values`` up to 1.4; 1.5 and 1.6 take both
      (``store_cv_results=None``: as store_cv_values says); ``store_cv_results`` only from 1.7.
    """
    from sklearn.linear_model import RidgeClassifierCV, RidgeCV, SGDClassifier

    known = parameters(estimator_class)
    params = dict(params)
    if estimator_class is SGDClassifier:
        unused = params.get("learning_rate", "optimal") == "optimal"
        if params.get("eta0") == 0.0 and unused and known["eta0"].default != 0.0:
            params["eta0"] = known["eta0"].default
    elif estimator_class is RidgeClassifierCV:  # (RidgeCV's, version by version)
        params = linear_params(RidgeCV, params)
    return params
