"""svm: kernel support vector machines fitted by libsvm (SVC, NuSVC, SVR, NuSVR, OneClassSVM).

A decision value is ``sum_i dual_coef_i * K(x, sv_i) + intercept`` over the support vectors
(for classifiers, one value per pair of classes, over the two classes' support vectors), with
the kernel ``linear``, ``poly``, ``rbf`` or ``sigmoid`` and the ``gamma`` that fit resolved.
The document holds scikit-learn's public arrays; libsvm's own (``_dual_coef_`` and
``_intercept_``, negated for two classes, ``_n_support``, ``_probA``...) are rebuilt from them.
libsvm reads raw C arrays, so every shape, count and index is checked before it sees them.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.base import is_classifier
from sklearn.svm import SVC, SVR, NuSVC, NuSVR, OneClassSVM

from .. import _compat
from .._arrays import (
    Encoder,
    decode_count,
    decode_floats,
    decode_ints,
    decode_labels,
    encode_float,
    encode_labels,
    refuse_where,
)
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError
from ._common import decode_common, encode_common, labels_dtype

FAMILY = "svm"
ORDER = 7  # place in the README's table
ESTIMATORS = (SVC, NuSVC, SVR, NuSVR, OneClassSVM)
# Platt-scaled probabilities (libsvm's pairwise coupling iterations) are left to Python.
PYTHON_ONLY = {SVC: ("predict_proba",), NuSVC: ("predict_proba",)}
KERNELS = ("linear", "poly", "rbf", "sigmoid")
INT32_MAX = 2**31 - 1  # (libsvm's int counts, indices and degree)


def encode(est, enc: Encoder) -> dict:
    name = type(est).__name__
    if not isinstance(est.kernel, str) or est.kernel not in KERNELS:
        raise UnsupportedModelError(
            f"{name} with kernel={est.kernel!r} cannot be exported: the kernels supported are "
            f"{', '.join(KERNELS)}"
        )
    internals = _compat.svm_internals(est)
    if internals["sparse"]:
        raise UnsupportedModelError(
            f"{name} fitted on a sparse matrix cannot be exported: fit it on a dense array "
            "(X.toarray()) to export it"
        )
    state = encode_common(est)
    if is_classifier(est):
        state["classes"] = encode_labels(est.classes_)
        state["n_support"] = enc.ints(internals["n_support"], "n_support_")
        state["class_weight"] = enc.floats(est.class_weight_, "class_weight_")
        if np.size(internals["prob_a"]):
            state["prob_a"] = enc.floats(internals["prob_a"], "probA_")
            state["prob_b"] = enc.floats(internals["prob_b"], "probB_")
    state["support"] = enc.ints(est.support_, "support_")
    state["support_vectors"] = enc.floats(est.support_vectors_, "support_vectors_")
    state["dual_coef"] = enc.floats(est.dual_coef_, "dual_coef_")
    state["intercept"] = enc.floats(est.intercept_, "intercept_")
    state["gamma"] = encode_float(internals["gamma"], "_gamma")
    state["shape_fit"] = [int(n) for n in est.shape_fit_]
    state["fit_status"] = int(est.fit_status_)
    state["n_iter"] = enc.ints(np.ravel(internals["num_iter"]), "n_iter_")
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    est = ctx.estimator
    attributes = decode_common(state)
    n_features = attributes["n_features_in_"]
    _check_params(est)
    classifier = is_classifier(est)

    shape_fit = decode_ints(state["shape_fit"], "/state/shape_fit", shape=(2,))
    n_samples = decode_count(int(shape_fit[0]), "/state/shape_fit/0", 1, INT32_MAX)
    if shape_fit[1] != n_features:
        raise InvalidModelError("/state/shape_fit/1", f"expected {n_features} (n_features_in)")
    support = decode_ints(state["support"], "/state/support")
    refuse_where(
        (support < 0) | (support >= n_samples),
        "/state/support",
        f"expected a training row index in [0, {n_samples - 1}]",
    )
    n_sv = len(support)
    vectors = state["support_vectors"]
    if n_sv == 0 and isinstance(vectors, (list, np.ndarray)) and len(vectors) == 0:  # ([]: 1-D)
        vectors = np.empty((0, n_features))
    vectors = decode_floats(vectors, "/state/support_vectors", ndim=2, shape=(n_sv, n_features))

    if classifier:
        classes = decode_labels(state["classes"], "/state/classes", labels_dtype(state))
        if len(classes) < 2:
            raise InvalidModelError("/state/classes", "expected at least two classes")
        n_class = len(classes)
        n_support = decode_ints(state["n_support"], "/state/n_support", shape=(n_class,))
        # Each count within [0, n_sv] first: then the sum cannot wrap around (libsvm reads
        # them as int32, and a sum that wraps to n_sv would send it past dual_coef).
        refuse_where(
            (n_support < 0) | (n_support > n_sv),
            "/state/n_support",
            f"expected a count from 0 to the {n_sv} support vectors",
        )
        if int(n_support.sum()) != n_sv:
            raise InvalidModelError(
                "/state/n_support",
                f"expected counts summing to the {n_sv} support vectors, found "
                f"{int(n_support.sum())}",
            )
        n_pairs, rows = n_class * (n_class - 1) // 2, n_class - 1
    else:  # (the schema refuses a classifier's fields here)
        n_class, n_pairs, rows = 2, 1, 1
        n_support = np.array([n_sv, n_sv])  # (what libsvm's fit gives these models)
    dual_coef = decode_floats(state["dual_coef"], "/state/dual_coef", ndim=2, shape=(rows, n_sv))
    intercept = decode_floats(state["intercept"], "/state/intercept", shape=(n_pairs,))
    gamma = _gamma(est, state["gamma"], n_features)

    has_a, has_b = "prob_a" in state, "prob_b" in state
    if has_a != has_b or (has_a and not classifier):
        key = "prob_a" if has_a else "prob_b"
        raise InvalidModelError(
            f"/state/{key}",
            "expected prob_a and prob_b together, for a classifier fitted with probability=True",
        )
    if classifier and est.probability is True and not has_a:  # (predict_proba would need them)
        raise InvalidModelError(
            "/state", 'missing key "prob_a": the model was fitted with probability=True'
        )
    prob = [np.empty(0), np.empty(0)]
    if has_a:
        prob = [
            decode_floats(state[k], f"/state/{k}", shape=(n_pairs,)) for k in ("prob_a", "prob_b")
        ]
    fit_status = decode_count(state["fit_status"], "/state/fit_status", 0, 1)
    num_iter = decode_ints(state["n_iter"], "/state/n_iter", shape=(n_pairs,))
    refuse_where(
        (num_iter < 0) | (num_iter > INT32_MAX),
        "/state/n_iter",
        f"expected a count in [0, {INT32_MAX}]",
    )

    # The arrays exactly as fit leaves them: C order, libsvm's dtypes, writeable (libsvm's
    # predict_proba takes no read-only buffer, such as a base64 array's).
    def c(a, dtype=np.float64):
        return np.array(a, dtype=dtype, order="C")

    dual_coef, intercept = c(dual_coef), c(intercept)
    binary = classifier and n_class == 2  # (libsvm's signs are the opposite of the public ones)
    num_iter = c(num_iter, np.int32)
    attributes.update(
        support_=c(support, np.int32),
        support_vectors_=c(vectors),
        dual_coef_=dual_coef,
        intercept_=intercept,
        shape_fit_=(n_samples, n_features),
        fit_status_=fit_status,
        n_iter_=num_iter if classifier else int(num_iter[0]),
    )
    if classifier:
        attributes["classes_"] = classes
        attributes["class_weight_"] = c(
            decode_floats(state["class_weight"], "/state/class_weight", shape=(n_class,))
        )
    if isinstance(est, OneClassSVM):
        attributes["offset_"] = -intercept
    attributes.update(
        _compat.svm_private(
            est,
            dual_coef=-dual_coef if binary else dual_coef,
            intercept=-intercept if binary else intercept.copy(),
            n_support=c(n_support, np.int32),
            prob_a=c(prob[0]),
            prob_b=c(prob[1]),
            gamma=gamma,
            num_iter=num_iter,
        )
    )
    return attributes


def _check_params(est) -> None:
    """The parameters prediction reads, as libsvm takes them (scikit-learn checked their types)."""
    if not isinstance(est.kernel, str) or est.kernel not in KERNELS:
        raise InvalidModelError("/params/kernel", f"expected one of {', '.join(KERNELS)}")
    if est.degree > INT32_MAX:
        raise InvalidModelError("/params/degree", f"expected an integer in [0, {INT32_MAX}]")
    if not math.isfinite(est.coef0):
        raise InvalidModelError("/params/coef0", "expected a finite number")


def _gamma(est, node, n_features: int):
    """The kernel coefficient fit resolved (``_gamma``, of the type fit gives it), which must be
    the ``gamma`` parameter where that is a number, and 1 / n_features where it is "auto"."""
    gamma = float(decode_floats(node, "/state/gamma", ndim=0))
    if gamma < 0:
        raise InvalidModelError("/state/gamma", "expected a number >= 0")
    if isinstance(est.gamma, str):
        if est.gamma == "auto" and gamma != 1.0 / n_features:
            raise InvalidModelError(
                "/state/gamma", f'expected 1 / n_features_in for gamma="auto", {1.0 / n_features}'
            )
        return np.float64(gamma) if est.gamma == "scale" else gamma
    if gamma != float(est.gamma):
        raise InvalidModelError("/state/gamma", f"expected the gamma parameter, {est.gamma}")
    return est.gamma
