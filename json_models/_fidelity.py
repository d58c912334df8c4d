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

SPEC's rules for the families still to come (neural networks, kernel
SVMs, naive Bayes, isolation forests) join :func:`mismatches` with their codecs; until then it
refuses a family it has no rule for.

Every check of predictions judges by this module: the Python round trips of the tests, Node
(``tests/test_cross_language.py``), Chromium (``tests/test_browser.py``) and ``json-models
demo``. :func:`predictions` gives scikit-learn's side of each comparison. Each rule returns
its findings as messages, one per output that breaks it (an empty list: the values agree):
:func:`mismatches` applies the rules of an estimator's family to another runtime's outputs,
:func:`roundtrip_mismatches` the Python round trip's rule.
"""

from __future__ import annotations

import numpy as np

from . import _registry

#: The outputs every runtime gives where scikit-learn has them (``json-models.js predict``
#: prints these three).
RUNTIME_METHODS = ("predict", "predict_proba", "decision_function", "transform")
ULP = 2.0**-52
#: Families whose values scikit-learn computes with plain arithmetic (boosting's probabilities
#: aside, which pass through ``exp``).
EXACT_FAMILIES = {"tree", "forest", "boosting", "hgb"}
#: Transformers whose values no portable code computes in scikit-learn's order (numpy's
#: ``einsum`` and pairwise sums, products of many columns): within :data:`NEAR_RULE`.
NEAR_TRANSFORMERS = {"Normalizer", "PolynomialFeatures"}
NEAR_RULE = "1e-15 * (1 + |v|)"
LINEAR_FAMILIES = {"linear", "logistic"}
LINEAR_RULE = "1e-12 * (1 + |intercept| + sum_j |coef_j * x_j|)"


def predictions(est, X, methods: tuple[str, ...] = RUNTIME_METHODS) -> dict:
    """What scikit-learn's ``est`` gives for the rows ``X`` by each of ``methods`` it has: the
    values every reader must reproduce, by method name."""
    return {method: getattr(est, method)(X) for method in methods if hasattr(est, method)}


def mismatches(est, X, expected: dict, actual: dict) -> list[str]:
    """How another runtime's outputs ``actual`` for the rows ``X`` break the rules of ``est``'s
    family against scikit-learn's ``expected`` (from :func:`predictions`); empty when they
    agree. ``actual`` may hold lists as parsed from JSON. A pipeline is judged by its last
    step's rule, on the rows the steps before give it; transformed values by the rule of the
    transformers that computed them."""
    if sorted(actual) != sorted(expected):
        return [f"outputs {sorted(actual)} != {sorted(expected)}"]
    found = []
    if "transform" in expected:
        found += transform_mismatches(est, expected["transform"], actual["transform"])
    est, X = last_step(est, X)
    family = _registry.codec_for_class(type(est))[1].FAMILY if est is not None else None
    predicted = [m for m in expected if m != "transform"]
    if predicted and family not in EXACT_FAMILIES | LINEAR_FAMILIES:
        raise ValueError(f"no fidelity rule for the {family} family: add SPEC's rule here")
    linear = family in LINEAR_FAMILIES
    for method in predicted:
        want, got = expected[method], actual[method]
        if method == "predict" and hasattr(est, "classes_"):
            found += label_mismatches(want, got, method, _ties(est, X) if linear else None)
        elif linear and method == "predict_proba":
            found += _beyond(want, got, 1e-12, method, "1e-12")
        elif linear:  # decision values: a regressor's predict, a classifier's decision_function
            bound = linear_bound(est, X).reshape(np.shape(want))
            found += _beyond(want, got, bound, method, LINEAR_RULE)
        elif family in ("boosting", "hgb") and method == "predict_proba":
            found += ulp_mismatches(want, got, method)
        elif family == "hgb" and method == "predict" and _hgb_exp_link(est):
            found += ulp_mismatches(want, got, method)
        else:
            found += bit_mismatches(want, got, method, same_dtype=False)
    return found


def _hgb_exp_link(est) -> bool:
    """Whether a HistGradientBoostingRegressor's predictions pass through ``exp``."""
    return getattr(est, "loss", None) in ("poisson", "gamma")


def last_step(est, X):
    """``(the estimator that predicts, the rows it is given)``: a pipeline's last step and
    what the steps before make of ``X`` (dense); None for a pipeline ending in passthrough."""
    while hasattr(est, "steps"):
        if len(est.steps) > 1:
            X = est[:-1].transform(X)
        est = est.steps[-1][1]
        if est in ("passthrough", None):
            return None, X
    if hasattr(X, "toarray"):  # (sparse)
        X = X.toarray()
    return est, np.asarray(X)


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


def label_mismatches(expected, actual, where: str = "", tied=None) -> list[str]:
    """Where the labels ``actual`` differ from ``expected``, outside the rows ``tied`` (a mask
    of the rows where a tie lets the label differ)."""
    expected, actual = np.asarray(expected, dtype=object), np.asarray(actual, dtype=object)
    if actual.shape != expected.shape:
        return [f"{where}: shape {actual.shape} != {expected.shape}"]
    differ = actual != expected  # as Python compares them: the label "1" is not 1
    if tied is not None:
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
