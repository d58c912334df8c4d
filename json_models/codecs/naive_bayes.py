"""naive_bayes: GaussianNB, BernoulliNB, MultinomialNB, ComplementNB.

Every fitted attribute is stored as scikit-learn holds it (no private state: the four keep none),
so a document loads under every supported version alike. Prediction takes the argmax of the
joint log-likelihood ``jll`` (n_samples, n_classes); probabilities are
``exp(jll - logsumexp(jll))``.

- GaussianNB: ``jll_k = log(class_prior_k) + (-0.5 * sum_j log(2 pi var_kj)
  - 0.5 * sum_j (x_j - theta_kj)**2 / var_kj)``.
- MultinomialNB: ``X @ feature_log_prob.T + class_log_prior``; ComplementNB the same, its
  ``class_log_prior`` added only for a single class; BernoulliNB binarizes ``X`` (``x >
  binarize``, unless null), then ``X @ (flp - neg).T + (class_log_prior + sum_j neg)`` with
  ``neg = log(1 - exp(flp))``.

Loading refuses values no fit produces (where scikit-learn would compute NaN from them): a
variance that is not positive, a negative prior or priors that do not sum to one (GaussianNB),
a non-finite log-probability (``class_log_prior`` may be ``-Infinity``: a class of prior
zero), and for BernoulliNB a feature log-probability whose ``1 - exp`` is not positive. Values
a fit can give that overflow on some rows (a variance of 1e-320) predict NaN there, as in
scikit-learn.
"""

from __future__ import annotations

import numpy as np
from sklearn.naive_bayes import BernoulliNB, ComplementNB, GaussianNB, MultinomialNB

from .._arrays import Encoder, decode_floats, decode_labels, encode_labels, refuse_where
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError
from ._common import decode_common, encode_common, labels_dtype

FAMILY = "naive_bayes"
ORDER = 8  # place in the README's table
ESTIMATORS = (GaussianNB, BernoulliNB, MultinomialNB, ComplementNB)

# Not used by prediction, but small (no larger than what prediction reads): written in
# compact documents too, so that every fitted attribute is there; a document without them
# loads, its estimator lacking them (said as for compact documents).
GAUSSIAN_EXTRA = (("class_count", "class_count_", 1), ("epsilon", "epsilon_", 0))
DISCRETE_EXTRA = (("class_count", "class_count_", 1), ("feature_count", "feature_count_", 2))
COMPLEMENT_EXTRA = (("feature_all", "feature_all_", 1),)
# GaussianNB's own check of ``priors`` (np.isclose(sum, 1)), applied to ``class_prior_``.
PRIOR_SUM_TOLERANCE = 1e-8 + 1e-5


def _extra(est) -> tuple:
    if isinstance(est, GaussianNB):
        return GAUSSIAN_EXTRA
    return DISCRETE_EXTRA + (COMPLEMENT_EXTRA if isinstance(est, ComplementNB) else ())


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["classes"] = encode_labels(est.classes_)
    name = type(est).__name__
    if isinstance(est, GaussianNB):
        if not (np.asarray(est.var_) > 0).all():
            raise UnsupportedModelError(
                f"{name}: var_ holds a variance that is not positive (var_smoothing=0 and a "
                "constant feature?): scikit-learn's own predictions are NaN; it cannot be exported"
            )
        state["theta"] = enc.floats(est.theta_, "theta_")
        state["var"] = enc.floats(est.var_, "var_")
        state["class_prior"] = enc.floats(est.class_prior_, "class_prior_")
    else:
        flp = np.asarray(est.feature_log_prob_)
        state["feature_log_prob"] = enc.floats(flp, "feature_log_prob_")
        if isinstance(est, BernoulliNB) and not (np.exp(flp) < 1).all():
            raise UnsupportedModelError(
                f"{name}: feature_log_prob_ holds a probability of 1 or more (alpha=0, or "
                "binarize=None on data that is not 0/1?): scikit-learn's own predictions are NaN; "
                "it cannot be exported"
            )
        clp = np.asarray(est.class_log_prior_, dtype=np.float64)
        if np.isnan(clp).any() or np.isposinf(clp).any():
            raise UnsupportedModelError(f"{name}: class_log_prior_ holds NaN or +inf")
        state["class_log_prior"] = enc.floats(clp, "class_log_prior_", nonfinite=True)
    for key, attribute, _ in _extra(est):
        value = getattr(est, attribute)
        state[key] = enc.floats(value, attribute) if np.ndim(value) else float(value)
    return state


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    m = attributes["n_features_in_"]
    classes = decode_labels(state["classes"], "/state/classes", labels_dtype(state))
    k = len(classes)
    attributes["classes_"] = classes
    est = ctx.estimator
    if isinstance(est, GaussianNB):
        attributes["theta_"] = decode_floats(state["theta"], "/state/theta", ndim=2, shape=(k, m))
        var = decode_floats(state["var"], "/state/var", ndim=2, shape=(k, m))
        refuse_where(var <= 0, "/state/var", "expected a positive variance")
        prior = decode_floats(state["class_prior"], "/state/class_prior", shape=(k,))
        refuse_where(prior < 0, "/state/class_prior", "expected a probability (0 or more)")
        total = float(np.sum(prior))
        if not abs(total - 1.0) <= PRIOR_SUM_TOLERANCE:
            raise InvalidModelError(
                "/state/class_prior",
                f"expected probabilities summing to 1, found a sum of {total!r}",
            )
        attributes["var_"], attributes["class_prior_"] = var, prior
    else:
        flp = decode_floats(
            state["feature_log_prob"], "/state/feature_log_prob", ndim=2, shape=(k, m)
        )
        if isinstance(est, BernoulliNB):
            refuse_where(
                ~(np.exp(flp) < 1),
                "/state/feature_log_prob",
                "expected the log of a probability below 1",
            )
        clp = decode_floats(
            state["class_log_prior"], "/state/class_log_prior", shape=(k,), nonfinite=True
        )
        refuse_where(
            np.isnan(clp) | np.isposinf(clp),
            "/state/class_log_prior",
            'expected a finite number or "-Infinity"',
        )
        attributes["feature_log_prob_"], attributes["class_log_prior_"] = flp, clp
    for key, attribute, ndim in _extra(est):
        if key not in state:
            ctx.missing.add(attribute)
            continue
        shape = {0: None, 1: (m if key == "feature_all" else k,), 2: (k, m)}[ndim]
        attributes[attribute] = decode_floats(state[key], f"/state/{key}", ndim=ndim, shape=shape)
    if "epsilon_" in attributes and not attributes["epsilon_"] >= 0:
        raise InvalidModelError("/state/epsilon", "expected a number, 0 or more")
    return attributes
