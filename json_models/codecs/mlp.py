"""mlp: MLPClassifier and MLPRegressor, as architecture plus weights.

The document says what a reader needs without knowing scikit-learn's defaults: ``layer_sizes``
(units per layer, input and output included), the hidden ``activation``, the
``out_activation``, the weights' ``dtype`` (float32 where fit saw float32 data with the sgd or
adam solver) and one weight matrix ``coefs[i]`` of shape ``(layer_sizes[i], layer_sizes[i+1])``
and one ``intercepts[i]`` per layer. The forward pass is scikit-learn's
``_forward_pass_fast``: ``a = act(a @ coefs[i] + intercepts[i])``, the output layer through
``out_activation``. Classifiers: two classes, one logistic output (``predict`` gives
``classes[1]`` where it is above 0.5); more, softmax and argmax; a multilabel indicator y, one
logistic output per label (``classes`` are ``0 .. n-1``, each predicted 1 above 0.5).

The fitted training attributes (``loss_``, ``n_iter_``, ``t_``, ``loss_curve_``,
``best_loss_``, ``validation_scores_``, ``best_validation_score_``) round-trip; compact
documents leave out the two traces.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.neural_network import MLPClassifier, MLPRegressor

from .. import _compat
from .._arrays import (
    NONFINITE_NAMES,
    Encoder,
    decode_count,
    decode_floats,
    decode_labels,
    encode_labels,
    in_memory_order,
    memory_order,
)
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError, found, pointer_join
from ._common import decode_common, encode_common, labels_dtype

FAMILY = "mlp"
ORDER = 9  # place in the README's table: after the other estimators, before transformers
ESTIMATORS = (MLPClassifier, MLPRegressor)

HIDDEN_ACTIVATIONS = ("identity", "logistic", "tanh", "relu")
OUTPUT_ACTIVATIONS = ("identity", "logistic", "softmax", "exp")
DTYPES = ("float64", "float32")
MAX_UNITS = 2**31 - 1
# Training traces: what compact documents leave out (prediction does not use them).
TRACES = ("loss_curve", "validation_scores")


def encode(est, enc: Encoder) -> dict:
    coefs, intercepts = list(est.coefs_), list(est.intercepts_)
    dtype = np.asarray(coefs[0]).dtype.name
    if dtype not in DTYPES or any(np.asarray(w).dtype.name != dtype for w in coefs + intercepts):
        raise UnsupportedModelError(
            f"{type(est).__name__}: weights of dtype {dtype} cannot be exported "
            "(float64 or float32 weights, all of one dtype, can)"
        )
    state = encode_common(est)
    if isinstance(est, MLPClassifier):
        if len(est.classes_) < 2:
            raise UnsupportedModelError("MLPClassifier fitted on a single class cannot be exported")
        state["classes"] = encode_labels(est.classes_)
    state["layer_sizes"] = [int(np.shape(coefs[0])[0])] + [int(np.shape(w)[1]) for w in coefs]
    state["activation"] = est.activation
    state["out_activation"] = est.out_activation_
    state["dtype"] = dtype
    state["coefs"] = [enc.floats(w, f"coefs_[{i}]") for i, w in enumerate(coefs)]
    orders = ["C" if w.flags.c_contiguous else memory_order(w) for w in coefs]
    if "F" in orders:  # (the layout fit left decides the BLAS path: see logistic.py)
        state["coefs_order"] = orders
    state["intercepts"] = [enc.floats(b, f"intercepts_[{i}]") for i, b in enumerate(intercepts)]
    state["n_iter"] = int(est.n_iter_)
    state["t"] = int(est.t_)
    state["loss"] = _scalar(est.loss_)
    for name in ("best_loss", "best_validation_score"):
        if hasattr(est, name + "_"):  # (not after lbfgs)
            state[name] = _scalar(getattr(est, name + "_"))
    for name in TRACES:
        value = getattr(est, name + "_", None)
        if hasattr(est, name + "_") and not enc.compact:
            state[name] = None if value is None else enc.floats(value, name + "_", nonfinite=True)
    return state


def _scalar(value):
    """A float (or None) as a JSON value: non-finite ones as the strings of the format."""
    if value is None:
        return None
    value = float(value)
    if math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def decode(state: dict, ctx: Decoding) -> dict:
    est = ctx.estimator
    attributes = decode_common(state)
    sizes = _layer_sizes(state, attributes["n_features_in_"])
    n_outputs = sizes[-1]
    dtype = _choice(state, "dtype", DTYPES)
    activation = _choice(state, "activation", HIDDEN_ACTIVATIONS)
    if activation != est.activation:  # (scikit-learn's forward pass reads the parameter)
        raise InvalidModelError(
            "/state/activation", f"expected the activation parameter {est.activation!r}"
        )
    out = _choice(state, "out_activation", OUTPUT_ACTIVATIONS)
    if isinstance(est, MLPClassifier):
        attributes.update(_classes(state, n_outputs, out))
    else:
        _check_regression_output(est, out)
    attributes["coefs_"] = _weights(state, sizes, dtype)
    attributes["intercepts_"] = [
        _narrow(
            decode_floats(node, f"/state/intercepts/{i}", shape=(sizes[i + 1],)),
            dtype,
            f"/state/intercepts/{i}",
        )
        for i, node in enumerate(_layers(state, "intercepts", len(sizes) - 1))
    ]
    attributes["n_outputs_"] = n_outputs
    attributes["n_layers_"] = len(sizes)
    attributes["out_activation_"] = out
    attributes["n_iter_"] = decode_count(state["n_iter"], "/state/n_iter", 0, 2**53)
    attributes["t_"] = decode_count(state["t"], "/state/t", 0, 2**53)
    attributes["loss_"] = _decode_scalar(state["loss"], "/state/loss")
    if "best_loss" in state:
        attributes["best_loss_"] = _decode_scalar(state["best_loss"], "/state/best_loss", True)
    if "best_validation_score" in state:
        score = _decode_scalar(state["best_validation_score"], "/state/best_validation_score", True)
        attributes["best_validation_score_"] = None if score is None else float(score)
    if "loss_curve" in state:
        curve = decode_floats(state["loss_curve"], "/state/loss_curve", nonfinite=True)
        attributes["loss_curve_"] = list(curve)  # (np.float64 values, as fit appends them)
    if "validation_scores" in state:
        scores = state["validation_scores"]
        if scores is not None:
            scores = decode_floats(scores, "/state/validation_scores", nonfinite=True).tolist()
        attributes["validation_scores_"] = scores
    if "best_loss" in state or "best_validation_score" in state:  # (a stochastic solver's fit)
        ctx.missing.update(name + "_" for name in TRACES if name not in state)
    return attributes


def _choice(state: dict, key: str, options: tuple) -> str:
    value = state[key]
    if value not in options:
        raise InvalidModelError(f"/state/{key}", f"expected one of {options}, found {found(value)}")
    return value


def _layer_sizes(state: dict, n_features: int) -> list:
    sizes, pointer = state["layer_sizes"], "/state/layer_sizes"
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise InvalidModelError(pointer, "expected the units of at least two layers")
    sizes = [decode_count(n, pointer_join(pointer, i), 1, MAX_UNITS) for i, n in enumerate(sizes)]
    if sizes[0] != n_features:
        raise InvalidModelError(
            pointer_join(pointer, 0), f"expected n_features_in ({n_features}), found {sizes[0]}"
        )
    return sizes


def _layers(state: dict, key: str, n: int) -> list:
    layers = state[key]
    if not isinstance(layers, list) or len(layers) != n:
        got = f"{len(layers)} arrays" if isinstance(layers, list) else found(layers)
        raise InvalidModelError(
            f"/state/{key}", f"expected one array per layer after the input ({n}), found {got}"
        )
    return layers


def _weights(state: dict, sizes: list, dtype: str) -> list:
    n = len(sizes) - 1
    orders = state.get("coefs_order", ["C"] * n)
    if not isinstance(orders, list) or len(orders) != n:
        raise InvalidModelError("/state/coefs_order", f"expected {n} memory orders")
    coefs = []
    for i, node in enumerate(_layers(state, "coefs", n)):
        pointer = f"/state/coefs/{i}"
        # (checked for its kind and shape first: a claim of a huge shape takes no memory)
        w = decode_floats(node, pointer, ndim=2)
        if w.shape != (sizes[i], sizes[i + 1]):
            raise InvalidModelError(
                pointer,
                f"expected shape ({sizes[i]}, {sizes[i + 1]}) (layer_sizes {i} and {i + 1}), "
                f"found {w.shape}",
            )
        w = in_memory_order(_narrow(w, dtype, pointer), orders[i], f"/state/coefs_order/{i}")
        coefs.append(w)
    return coefs


def _narrow(values: np.ndarray, dtype: str, pointer: str) -> np.ndarray:
    """``values`` as ``dtype``, refused where that would change one (other readers apply the
    values as written)."""
    narrow = values.astype(dtype)
    if dtype != "float64" and (narrow != values).any():
        index = np.unravel_index(int(np.argmax(narrow != values)), values.shape)
        raise InvalidModelError(
            pointer_join(pointer, *map(int, index)), f"expected a value that {dtype} holds"
        )
    return narrow


def _decode_scalar(node, pointer: str, nullable: bool = False):
    if node is None and nullable:
        return None
    if isinstance(node, str) and node in NONFINITE_NAMES:
        return np.float64(NONFINITE_NAMES[node])
    if isinstance(node, bool) or not isinstance(node, (int, float, np.floating)):
        raise InvalidModelError(pointer, f"expected a number, found {found(node)}")
    return np.float64(node)


def _classes(state: dict, n_outputs: int, out: str) -> dict:
    """``classes_`` and the label binarizer ``predict`` reads, as fit left them."""
    if "classes" not in state:
        raise InvalidModelError("/state", 'missing key "classes"')
    classes = decode_labels(state["classes"], "/state/classes", labels_dtype(state))
    if len(classes) < 2:
        raise InvalidModelError("/state/classes", "expected at least two classes")
    if n_outputs == 1:
        kind, want_out = "binary", "logistic"
        if len(classes) != 2:
            raise InvalidModelError(
                "/state/classes", f"expected 2 classes for one output, found {len(classes)}"
            )
    elif out == "softmax":
        kind, want_out = "multiclass", "softmax"
        if len(classes) != n_outputs:
            raise InvalidModelError(
                "/state/classes", f"expected {n_outputs} classes (one per output unit)"
            )
    else:  # a multilabel indicator y: one logistic unit per label, labels 0 .. n-1
        kind, want_out = "multilabel-indicator", "logistic"
        if classes.tolist() != list(range(n_outputs)) or classes.dtype.kind not in "iu":
            raise InvalidModelError(
                "/state/classes", f"expected the labels 0 .. {n_outputs - 1} of a multilabel y"
            )
    if out != want_out:
        raise InvalidModelError(
            "/state/out_activation", f'expected "{want_out}" for a {kind} classifier'
        )
    return {"classes_": classes, **_compat.mlp_label_binarizer(classes, kind)}


def _check_regression_output(est, out: str) -> None:
    want = "exp" if getattr(est, "loss", "squared_error") == "poisson" else "identity"
    if out == want:
        return
    if out == "exp" and not _compat.mlp_has_exp_output():
        raise UnsupportedModelError(
            "MLPRegressor: this document's network ends in exp (loss='poisson', new in "
            f"scikit-learn 1.7), which scikit-learn {_compat.SKLEARN_VERSION} does not compute; "
            "load it with scikit-learn 1.7 or later"
        )
    raise InvalidModelError(
        "/state/out_activation", f'expected "{want}" for loss={getattr(est, "loss", None)!r}'
    )
