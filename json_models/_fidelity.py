"""What "predictions match" means, written once: SPEC.md's fidelity rules as functions.

SPEC.md, "Fidelity: what 'predictions match' means", for the families json-models supports:

- Trees and tree ensembles: identical labels, and every value that scikit-learn computes with
  plain arithmetic (routing, leaf values, sums, averages, divisions) bit-for-bit equal to
  scikit-learn's float64 result on every input: ``predict``, forest ``predict_proba``, boosting
  ``decision_function``, including values exactly at a split threshold and between
  ``float32(threshold)`` and ``threshold``, and missing values where the model supports them.
- Values that pass through ``exp``/``log`` (logistic link, softmax, boosting probabilities):
  within ``4 * 2**-52 * max(1, |value|)`` of scikit-learn's.
- HistGradientBoosting compares float64 ``x <= threshold``: raw scores (``decision_function``,
  a regressor's ``predict`` with an identity link) bit-for-bit; probabilities and the ``exp``
  link (poisson, gamma) by the 4-ulp rule.
- Linear models: ``|ours - sklearn| <= 1e-12 * (1 + |intercept| + sum_j |coef_j * x_j|)`` for
  decision values; probabilities within ``1e-12``; identical labels except exact ties.
- After ``from_dict(to_dict(est))`` in Python, everything above is bit-for-bit identical,
  including the dtype of every fitted attribute.

- Element-wise transformers (scalers, imputers, encoders): bit-for-bit. ``Normalizer`` and
  ``PolynomialFeatures``: within ``1e-15 * (1 + |v|)`` (bit-for-bit as measured). A pipeline's
  last step keeps its own family's rule on the transformed values.

- Neural networks: float64 networks within ``1e-10 * (1 + |v|)``, float32 networks within
  ``1e-5 * (1 + |v|)``; labels identical except where the two best scores lie within that bound.
- Kernel SVMs: decision values within ``1e-12 * (1 + sum_i |dual_coef_i * K_i|)``; labels
  identical except a vote decided inside that bound. Naive Bayes: joint log-likelihoods within
  ``1e-12 * (1 + |v|)``, then the 4-ulp rule. Isolation forests: path lengths bit-for-bit,
  scores by the 4-ulp rule. Generalized linear models: the linear rule on the linear
  predictor, then the 4-ulp rule through ``exp``.

:data:`RULES` holds one function per family; :func:`mismatches` refuses a family without one.

Every check of predictions judges by this module: the Python round trips of the tests, Node
(``tests/test_cross_language.py``), Chromium (``tests/test_browser.py``) and ``json-models
demo``. :func:`predictions` gives scikit-learn's side of each comparison. Each rule returns
its findings as messages, one per output that breaks it (an empty list: the values agree):
:func:`mismatches` applies the rules of an estimator's family to another runtime's outputs,
:func:`roundtrip_mismatches` the Python round trip's rule.
"""

from __future__ import annotations

import copy

import numpy as np

from . import _compat, _registry

#: The outputs every runtime gives where scikit-learn has them (``json-models.js predict``
#: prints these three).
RUNTIME_METHODS = ("predict", "predict_proba", "decision_function", "score_samples", "transform")
ULP = 2.0**-52
#: Transformers whose values no portable code computes in scikit-learn's order (numpy's
#: ``einsum`` and pairwise sums, products of many columns): within :data:`NEAR_RULE`.
NEAR_TRANSFORMERS = {"Normalizer", "PolynomialFeatures"}
NEAR_RULE = "1e-15 * (1 + |v|)"
LINEAR_FAMILIES = {"linear", "logistic", "linear_classifier"}
LINEAR_RULE = "1e-12 * (1 + |intercept| + sum_j |coef_j * x_j|)"
SVM_RULE = "1e-12 * (1 + sum_i |dual_coef_i * K_i|)"
NB_RULE = "1e-12 * (1 + |joint log-likelihood|), then 4 ulp"


def predictions(est, X, methods: tuple[str, ...] = RUNTIME_METHODS) -> dict:
    """What scikit-learn's ``est`` gives for the rows ``X`` by each of ``methods`` it has: the
    values every reader must reproduce, by method name."""
    return {method: getattr(est, method)(X) for method in methods if hasattr(est, method)}


def mismatches(est, X, expected: dict, actual: dict, ties: list | None = None) -> list[str]:
    """How another runtime's outputs ``actual`` for the rows ``X`` break the rules of ``est``'s
    family against scikit-learn's ``expected`` (from :func:`predictions`); empty when they
    agree. ``actual`` may hold lists as parsed from JSON. A pipeline is judged by its last
    step's rule, on the rows the steps before give it; transformed values by the rule of the
    transformers that computed them. Methods only Python gives (``_registry.python_only``) are
    not expected. ``ties``, if given, receives a line for each output whose rule let labels
    differ near a tie: how many rows were that near (SPEC asks the tests to say)."""
    last, X_last = last_step(est, X)
    skipped = _registry.python_only(type(last)) if last is not None else ()
    expected = {m: v for m, v in expected.items() if m not in skipped}
    if sorted(actual) != sorted(expected):
        return [f"outputs {sorted(actual)} != {sorted(expected)}"]
    found = []
    if "transform" in expected:
        found += transform_mismatches(est, expected["transform"], actual["transform"])
    predicted = [m for m in expected if m != "transform"]
    if not predicted:
        return found
    family = _registry.codec_for_class(type(last))[1].FAMILY
    if family not in RULES:
        raise ValueError(f"no fidelity rule for the {family} family: add SPEC's rule here")
    for method in predicted:
        want, got = expected[method], actual[method]
        if method == "predict" and _labels(last):
            tied = RULES[family](last, X_last, "ties", None, None)
            found += label_mismatches(want, got, method, tied, ties)
        else:
            found += RULES[family](last, X_last, method, want, got)
    return found


def _labels(est) -> bool:
    """Whether ``est.predict`` gives labels: a classifier's, or an outlier detector's -1/1."""
    return hasattr(est, "classes_") or hasattr(est, "offset_")


# Each family's rule: ``rule(est, X, method, want, got) -> messages``; with method "ties", the
# mask of the rows whose label may differ (None: none may).


def _exact(est, X, method, want, got):
    """Trees and tree ensembles: bit for bit, labels identical."""
    return None if method == "ties" else bit_mismatches(want, got, method, same_dtype=False)


def _boosted(est, X, method, want, got):
    """Boosting: raw scores bit for bit, what passes through ``exp`` (probabilities, the
    poisson and gamma links) by the 4-ulp rule."""
    if method == "predict_proba" or (method == "predict" and _hgb_exp_link(est)):
        return ulp_mismatches(want, got, method)
    return _exact(est, X, method, want, got)


def _linear(est, X, method, want, got):
    """Linear models: decision values within :data:`LINEAR_RULE`, probabilities within 1e-12,
    labels identical except ties."""
    if method == "ties":
        return _ties(est, X)
    if method == "predict_proba":
        return _beyond(want, got, 1e-12, method, "1e-12")
    bound = linear_bound(est, X).reshape(np.shape(want))
    return _beyond(want, got, bound, method, LINEAR_RULE)


def _glm(est, X, method, want, got):
    """Generalized linear models: the linear rule on the linear predictor, then 4 ulp through
    ``exp`` where the link is a log."""
    bound = linear_bound(est, X).reshape(np.shape(want))
    if _glm_log_link(est):
        v = np.abs(np.asarray(want, dtype=np.float64))
        bound = v * np.expm1(bound) + 4 * ULP * np.maximum(1.0, v)
    return _beyond(want, got, bound, method, f"{LINEAR_RULE}, through exp")


def _network(est, X, method, want, got):
    """Neural networks: every value within ``tol * (1 + |v|)``, ``tol`` 1e-10 for float64
    networks and 1e-5 for float32 ones; labels identical except where the two best scores (a
    logistic output: the probability and 1/2) lie within that bound."""
    tol = 1e-5 if np.asarray(est.coefs_[0]).dtype == np.float32 else 1e-10
    rule = f"{tol:g} * (1 + |v|)"
    if method == "ties":
        if not hasattr(est, "classes_"):
            return None
        proba = np.asarray(est.predict_proba(X), dtype=np.float64)
        if proba.ndim == 2 and est.out_activation_ == "logistic" and proba.shape[1] > 1:
            return (np.abs(proba - 0.5) <= 2 * tol).any(axis=1)  # (binary, multilabel)
        return _top_two_within(proba, lambda best: tol * (1 + np.abs(best)))
    want = np.asarray(want, dtype=np.float64)
    return _beyond(want, got, tol * (1 + np.abs(want)), method, rule)


def _svm(est, X, method, want, got):
    """Kernel SVMs: decision values within ``1e-12 * (1 + sum_i |dual_coef_i * K_i|)`` (one
    bound per pair of classes; the one-vs-rest shape and OneClassSVM's scores summed over
    pairs); labels identical except where a pair's decision value lies within its bound."""
    pair_bounds = svm_pair_bounds(est, X)  # (rows, pairs)
    tied = None
    if hasattr(est, "classes_"):
        tied = (np.abs(_svm_pair_decisions(est, X)) <= pair_bounds).any(axis=1)
        if getattr(est, "break_ties", False) and len(est.classes_) > 2:
            tied |= _top_two_within(est.decision_function(X), lambda _: pair_bounds.sum(axis=1))
    if method == "ties":
        return tied
    bound = pair_bounds.sum(axis=1)
    if tied is not None and len(est.classes_) > 2 and est.decision_function_shape == "ovr":
        bound = np.where(tied, np.inf, bound)  # (the one-vs-rest shape counts the votes too)
    bound = bound.reshape((-1,) + (1,) * (np.ndim(want) - 1))
    return _beyond(want, got, np.broadcast_to(bound, np.shape(want)), method, SVM_RULE)


def _naive_bayes(est, X, method, want, got):
    """Naive Bayes: joint log-likelihoods within ``1e-12 * (1 + |v|)``, then 4 ulp through
    ``exp``; labels identical except where the two best lie within that bound."""
    jll = np.asarray(est.predict_joint_log_proba(X), dtype=np.float64)
    bound = 1e-12 * (1 + np.abs(np.where(np.isfinite(jll), jll, 0.0)))  # (a prior of 0: -inf)
    if method == "ties":
        return _top_two_within(jll, lambda _: bound.max(axis=1))
    # p_k = exp(jll_k - logsumexp(jll)): both terms off by at most the row's largest bound.
    p = np.asarray(want, dtype=np.float64)
    shift = 2 * bound.max(axis=1, keepdims=True)
    return _beyond(want, got, p * np.expm1(shift) + 4 * ULP * np.maximum(1.0, p), method, NB_RULE)


def _isolation(est, X, method, want, got):
    """Isolation forests: path lengths bit-for-bit, so scores (through a power of 2) by the
    4-ulp rule; labels identical except where the score lies within it of the offset."""
    if method == "ties":
        return np.abs(est.decision_function(X)) <= 8 * ULP * np.maximum(1, np.abs(est.offset_))
    return ulp_mismatches(want, got, method)


def _top_two_within(scores, bound):
    """The rows whose two best ``scores`` (one column: the score and 0) lie within
    ``bound(best)`` of each other."""
    scores = np.asarray(scores, dtype=np.float64).reshape(len(scores), -1)
    if scores.shape[1] == 1:
        scores = np.c_[scores, np.zeros(len(scores))]
    best = np.sort(scores, axis=1)
    return best[:, -1] - best[:, -2] <= bound(best[:, -1])


RULES = {
    "tree": _exact,
    "forest": _exact,
    "boosting": _boosted,
    "hgb": _boosted,
    **dict.fromkeys(LINEAR_FAMILIES, _linear),
    "glm": _glm,
    "mlp": _network,
    "svm": _svm,
    "naive_bayes": _naive_bayes,
    "isolation": _isolation,
}


def _hgb_exp_link(est) -> bool:
    """Whether a HistGradientBoostingRegressor's predictions pass through ``exp``."""
    return getattr(est, "loss", None) in ("poisson", "gamma")


def _glm_log_link(est) -> bool:
    """Whether a generalized linear model predicts ``exp`` of its linear predictor (Tweedie:
    link "auto" is the identity for power <= 0)."""
    link = getattr(est, "link", "log")
    return link == "log" or (link == "auto" and est.power > 0)


def svm_kernel(est, X) -> np.ndarray:
    """``K(x, sv)`` for the rows ``X`` and every support vector, (rows, support vectors)."""
    X = np.asarray(X, dtype=np.float64)
    sv = np.asarray(est.support_vectors_, dtype=np.float64)
    if est.kernel == "linear":
        return X @ sv.T
    gamma = _compat.svm_gamma(est)
    if est.kernel == "rbf":
        return np.exp(-gamma * ((X[:, None, :] - sv[None, :, :]) ** 2).sum(axis=-1))
    dot = gamma * (X @ sv.T) + est.coef0
    return dot**est.degree if est.kernel == "poly" else np.tanh(dot)


def svm_pair_bounds(est, X) -> np.ndarray:
    """SPEC's bound on a kernel SVM's decision values, ``1e-12 * (1 + sum_i |dual_coef_i *
    K_i|)`` over the support vectors of each pair of classes, in scikit-learn's one-vs-one
    order (one column for regressors and one-class models): (rows, pairs)."""
    K = np.abs(svm_kernel(est, X))
    coef = np.abs(np.asarray(est.dual_coef_, dtype=np.float64))
    if not hasattr(est, "classes_"):
        return 1e-12 * (1 + K @ coef[0])[:, None]
    starts = np.r_[0, np.cumsum(est.n_support_)]
    columns = []
    n = len(est.classes_)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = slice(starts[i], starts[i + 1]), slice(starts[j], starts[j + 1])
            columns.append(K[:, a] @ coef[j - 1, a] + K[:, b] @ coef[i, b])
    return 1e-12 * (1 + np.stack(columns, axis=1))


def _svm_pair_decisions(est, X) -> np.ndarray:
    """A kernel SVM's one-vs-one decision values (rows, pairs): what its vote counts."""
    if hasattr(est, "decision_function_shape"):
        est = copy.copy(est)
        est.decision_function_shape = "ovo"
    return np.asarray(est.decision_function(X), dtype=np.float64).reshape(len(X), -1)


def last_step(est, X):
    """``(the estimator that predicts, the rows it is given)``: a pipeline's last step and
    what the steps before make of ``X`` (dense; a DataFrame stays one, so that a model fitted
    with feature names is asked with them); None for a pipeline ending in passthrough."""
    while hasattr(est, "steps"):
        if len(est.steps) > 1:
            X = est[:-1].transform(X)
        est = est.steps[-1][1]
        if est in ("passthrough", None):
            return None, X
    if hasattr(X, "toarray"):  # (sparse)
        X = X.toarray()
    return est, X if hasattr(X, "columns") else np.asarray(X)


def _transformers(est):
    """Every estimator inside ``est`` (itself included)."""
    yield est
    inner = [s for _, s in getattr(est, "steps", ())]
    inner += [t for _, t, _ in getattr(est, "transformers_", ())]
    for step in inner:
        if not isinstance(step, str) and step is not None:
            yield from _transformers(step)


def transform_mismatches(est, expected, actual, where: str = "transform") -> list[str]:
    """Transformed values against scikit-learn's (sparse or pandas output read as rows):
    element-wise transformers bit for bit, :data:`NEAR_TRANSFORMERS` (anywhere inside ``est``)
    within :data:`NEAR_RULE`; strings equal; a missing value (NaN, which JSON writes as null)
    where scikit-learn has one."""
    expected = _rows(expected)
    if expected.dtype == object:
        want = [[None if _nan(v) else v for v in row] for row in expected.tolist()]
        got = [
            [None if _nan(v) else v for v in row]
            for row in np.asarray(actual, dtype=object).tolist()
        ]
        return [] if want == got else [f"{where}: values differ"]
    expected = expected.astype(np.float64)
    actual = np.asarray(actual, dtype=np.float64)  # (null: NaN)
    if actual.shape != expected.shape:
        return [f"{where}: shape {actual.shape} != {expected.shape}"]
    missing = np.isnan(expected)
    if (missing != np.isnan(actual)).any():
        return [f"{where}: missing values differ"]
    want, got = expected[~missing], actual[~missing]
    if any(type(t).__name__ in NEAR_TRANSFORMERS for t in _transformers(est)):
        return _beyond(want, got, 1e-15 * (1 + np.abs(want)), where, NEAR_RULE)
    return bit_mismatches(want, got, where, same_dtype=False)


def _rows(values) -> np.ndarray:
    if hasattr(values, "toarray"):
        return values.toarray()
    if hasattr(values, "to_numpy"):
        return values.to_numpy(dtype=object if any(t.kind == "O" for t in values.dtypes) else None)
    return np.asarray(values)


def _nan(v) -> bool:
    return isinstance(v, float) and v != v


def roundtrip_mismatches(expected: dict, actual: dict) -> list[str]:
    """How the outputs ``actual`` of an estimator loaded in Python differ from the original's
    ``expected``: after a Python round trip every output is identical bit for bit, dtype
    included."""
    if sorted(actual) != sorted(expected):
        return [f"outputs {sorted(actual)} != {sorted(expected)}"]
    return [
        m for method, want in expected.items() for m in bit_mismatches(want, actual[method], method)
    ]


def bit_mismatches(expected, actual, where: str = "", same_dtype: bool = True) -> list[str]:
    """Where ``actual`` is not ``expected`` bit for bit (``0.0`` is not ``-0.0``; a NaN equals
    a NaN of the same payload). ``same_dtype``: floats of the same dtype too, as a Python round
    trip gives; without it both are read as float64, as JSON numbers are. Arrays that are not
    floats (labels, counts) must hold equal values. A list (one array per output of a
    multi-output model) is compared output by output; a sparse matrix or a DataFrame (a Python
    round trip's transform) by its type and parts."""
    if hasattr(expected, "toarray"):
        if type(actual) is not type(expected):
            return [f"{where}: {type(actual).__name__} != {type(expected).__name__}"]
        return [
            m
            for part in ("data", "indices", "indptr")
            for m in bit_mismatches(
                getattr(expected, part), getattr(actual, part), f"{where}.{part}"
            )
        ]
    if hasattr(expected, "columns"):  # a DataFrame
        if type(actual) is not type(expected) or list(actual.columns) != list(expected.columns):
            return [f"{where}: not a DataFrame of columns {list(expected.columns)}"]
        return [
            m
            for name in expected.columns
            for m in bit_mismatches(
                expected[name].to_numpy(), actual[name].to_numpy(), f"{where}[{name!r}]"
            )
        ]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: not a list of {len(expected)} outputs"]
        return [
            m
            for k, (e, a) in enumerate(zip(expected, actual))
            for m in bit_mismatches(e, a, f"{where}[{k}]", same_dtype)
        ]
    expected = np.asarray(expected)
    floats = expected.dtype.kind == "f"
    if floats and not same_dtype:
        expected, actual = expected.astype(np.float64), np.asarray(actual, dtype=np.float64)
    actual = np.asarray(actual)
    if actual.shape != expected.shape:
        return [f"{where}: shape {actual.shape} != {expected.shape}"]
    if not floats:
        if expected.dtype == object and actual.dtype == object:  # (NaN among strings)
            same = [a == e or (_nan(a) and _nan(e)) for a, e in zip(actual.flat, expected.flat)]
            return [] if all(same) else [f"{where}: values differ"]
        if actual.dtype != expected.dtype and same_dtype:
            return [f"{where}: dtype {actual.dtype} != {expected.dtype}"]
        return [] if np.array_equal(actual, expected) else [f"{where}: values differ"]
    if actual.dtype != expected.dtype:
        return [f"{where}: dtype {actual.dtype} != {expected.dtype}"]
    bits = np.dtype(f"u{expected.dtype.itemsize}")
    as_bits = [np.ascontiguousarray(a).view(bits) for a in (actual, expected)]
    n = int((as_bits[0] != as_bits[1]).sum())
    return [f"{where}: {n} values differ in their bits"] if n else []


def ulp_mismatches(expected, actual, where: str = "") -> list[str]:
    """Where a value that passed through ``exp`` or ``log`` lies beyond
    ``4 * 2**-52 * max(1, |value|)`` of scikit-learn's (no two math libraries round ``exp``
    alike)."""
    expected = np.asarray(expected, dtype=np.float64)
    bound = 4 * ULP * np.maximum(1.0, np.abs(expected))
    return _beyond(expected, actual, bound, where, "4 ulp")


def linear_bound(est, X) -> np.ndarray:
    """SPEC's bound on a linear model's decision values for the rows ``X``, one per row and
    output: ``1e-12 * (1 + |intercept| + sum_j |coef_j * x_j|)``."""
    X = np.asarray(X, dtype=np.float64)
    coef = np.atleast_2d(est.coef_)  # (outputs, features)
    intercept = np.abs(np.atleast_1d(est.intercept_))
    return 1e-12 * (1 + intercept + np.abs(X[:, None, :] * coef[None, :, :]).sum(axis=-1))


def label_mismatches(expected, actual, where: str = "", tied=None, ties=None) -> list[str]:
    """Where the labels ``actual`` differ from ``expected``, outside the rows ``tied`` (a mask
    of the rows where a tie lets the label differ); ``ties`` (a list) receives how many rows
    were tied."""
    expected, actual = np.asarray(expected, dtype=object), np.asarray(actual, dtype=object)
    if actual.shape != expected.shape:
        return [f"{where}: shape {actual.shape} != {expected.shape}"]
    differ = actual != expected  # as Python compares them: the label "1" is not 1
    if differ.ndim > 1:  # (several outputs: a row differs if any of its labels does)
        differ = differ.reshape(len(differ), -1).any(axis=1)
    if tied is not None:
        if ties is not None and tied.any():
            ties.append(
                f"{where}: {int(tied.sum())} of {len(tied)} rows within the rule of a tie, "
                f"{int((differ & tied).sum())} of them labelled otherwise (accepted)"
            )
        differ &= ~tied
    n = int(differ.sum())
    return [f"{where}: {n} of {expected.size} labels differ"] if n else []


def _ties(est, X) -> np.ndarray:
    """The rows where a linear classifier's label may differ: its two best decision values
    (a binary model: its decision value and 0) lie within twice SPEC's bound of each other."""
    decision = np.reshape(est.decision_function(X), (len(X), -1))
    if decision.shape[1] == 1:
        gap = np.abs(decision[:, 0])
    else:
        best = np.sort(decision, axis=1)
        gap = best[:, -1] - best[:, -2]
    return gap <= 2 * linear_bound(est, X).max(axis=1)


def _beyond(expected, actual, bound, where: str, rule: str) -> list[str]:
    """Where ``|actual - expected|`` exceeds ``bound`` (a NaN difference does)."""
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if actual.shape != expected.shape:
        return [f"{where}: shape {actual.shape} != {expected.shape}"]
    diff = np.abs(actual - expected)
    n = int(np.sum(~(diff <= bound)))
    worst = np.max(diff, initial=0.0)
    return [f"{where}: {n} of {diff.size} values beyond {rule} (worst {worst:.1e})"] if n else []
