"""hgb: histogram gradient boosting (HistGradientBoostingClassifier / -Regressor).

The document says what prediction means, whatever scikit-learn's internals: per iteration and
per class, each tree's nodes as flat columns (``children_left``/``children_right`` -1 at
leaves, ``feature`` an input column, a float64 ``threshold``: a row goes left when
``x <= threshold``, a missing value by ``missing_go_to_left``; leaf ``value`` includes the
learning rate). A categorical split (``is_categorical``) sends left the raw categories listed
in its tree's ``left_categories[bitset_index]``; a value that is not one of the feature's
known ``categories`` (unseen, negative, NaN) goes the missing way. The raw prediction starts
from ``baseline_prediction`` and adds the trees' leaf values iteration by iteration; the
loss's link (identity, exp, expit, softmax) turns it into outputs.

Decoding rebuilds the running version's internals (internal ordinal encoder, columns
reordered with the categorical ones first, bitsets over encoded categories) through
``_compat``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import is_classifier
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from .. import _compat
from .._arrays import (
    Encoder,
    decode_count,
    decode_flags,
    decode_floats,
    decode_ints,
    decode_label_dtype,
    decode_labels,
    encode_labels,
    label_dtype,
)
from .._decoding import Decoding, set_fitted
from ..errors import InvalidModelError, UnsupportedModelError, pointer_join
from ._common import decode_common, encode_common, labels_dtype
from .tree import check_structure, node_depths

FAMILY = "hgb"
ORDER = 6  # place in the README's table
ESTIMATORS = (HistGradientBoostingClassifier, HistGradientBoostingRegressor)
TRACES = ("train_score", "validation_score")
MAX_FEATURES = 2**20  # HistGradientBoosting bins dense data: far beyond any real model
MAX_CELLS = 2**23  # the rows a rebuild fits its preprocessing on (one per category)
STATISTICS = ("count", "gain", "bin_threshold")
COMPACT_MISSING = ("_predictors node statistics (count, gain)", "_bin_mapper.bin_thresholds_")


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    if is_classifier(est):
        state["classes"] = encode_labels(est.classes_)
    columns = _compat.hgb_internal_columns(est)
    raw = _compat.hgb_categories(est)  # (NaN among them where fit saw it)
    categories = [_known(c) for c in raw]
    features = [] if est.is_categorical_ is None else np.flatnonzero(est.is_categorical_).tolist()
    predictors = _compat.hgb_predictors(est)
    state["n_trees_per_iteration"] = int(est.n_trees_per_iteration_)
    state["n_iter"] = len(predictors)
    state["baseline_prediction"] = enc.floats(_compat.hgb_baseline(est), "_baseline_prediction")
    state["do_early_stopping"] = bool(est.do_early_stopping_)
    if any(len(c) == 0 for c in categories):
        raise UnsupportedModelError(
            f"{type(est).__name__}: a categorical feature without any category seen in fit"
        )
    if features:
        state["categorical_features"] = features
        state["categories"] = [
            encode_labels(c, f"categories of feature {f}") for f, c in zip(features, categories)
        ]
        state["categories_dtype"] = [label_dtype(c) for c in categories]
        state["categories_missing"] = [len(r) > len(c) for r, c in zip(raw, categories)]
    state["predictors"] = [
        [_encode_tree(nodes, bitsets, columns, categories, enc) for nodes, bitsets in it]
        for it in predictors
    ]
    for name in TRACES:
        state[name] = enc.floats(getattr(est, name + "_"), name + "_")
    if not enc.compact:  # (by input column)
        thresholds = dict(zip(columns.tolist(), _compat.hgb_bin_thresholds(est)))
        state["bin_thresholds"] = [
            None if j in features else enc.floats(thresholds[j], "_bin_mapper.bin_thresholds_")
            for j in range(len(columns))
        ]
    return state


def _known(categories) -> np.ndarray:
    """Categories without the NaN the encoder puts last when it saw missing values."""
    c = np.asarray(categories)
    if len(c) and isinstance(c[-1], (float, np.floating)) and np.isnan(c[-1]):
        return c[:-1]
    return c


def _encode_tree(nodes, bitsets, columns, categories, enc: Encoder) -> dict:
    leaf = nodes["is_leaf"].astype(bool)
    categorical = nodes["is_categorical"].astype(bool) & ~leaf
    left_categories = [None] * len(bitsets)
    for i in np.flatnonzero(categorical):
        b, f = int(nodes["bitset_idx"][i]), int(nodes["feature_idx"][i])
        words = np.asarray(bitsets[b], dtype=np.uint32)
        codes = [k for k in range(32 * len(words)) if (int(words[k // 32]) >> (k % 32)) & 1]
        # (none: a split that sends only missing and unseen values left)
        chosen = categories[f][codes]
        left_categories[b] = encode_labels(chosen, "left categories") if len(chosen) else []
    if any(c is None for c in left_categories):
        raise UnsupportedModelError("HistGradientBoosting: a categorical bitset used by no split")
    value = np.where(leaf, nodes["value"], 0.0) if enc.compact else nodes["value"]
    out = {
        "children_left": enc.ints(np.where(leaf, -1, nodes["left"].astype(np.int64)), "left"),
        "children_right": enc.ints(np.where(leaf, -1, nodes["right"].astype(np.int64)), "right"),
        "feature": enc.ints(np.where(leaf, 0, columns[nodes["feature_idx"]]), "feature_idx"),
        "threshold": enc.floats(
            np.where(leaf | categorical, 0.0, nodes["num_threshold"]), "num_threshold", True
        ),
        "missing_go_to_left": enc.flags(nodes["missing_go_to_left"], "missing_go_to_left"),
        "value": enc.floats(value, "value"),
        "is_categorical": enc.flags(categorical.astype(np.uint8), "is_categorical"),
        "bitset_index": enc.ints(
            np.where(categorical, nodes["bitset_idx"].astype(np.int64), -1), "bitset_idx"
        ),
        "left_categories": left_categories,
    }
    if not enc.compact:
        out["count"] = enc.ints(nodes["count"], "count")
        out["gain"] = enc.floats(nodes["gain"], "gain")
        out["bin_threshold"] = enc.ints(nodes["bin_threshold"], "bin_threshold")
    return out


def decode(state: dict, ctx: Decoding) -> dict:
    est = ctx.estimator
    attributes = decode_common(state)
    n_features = attributes["n_features_in_"]
    if n_features > MAX_FEATURES:  # (scikit-learn's rebuilt internals hold a row of them)
        raise InvalidModelError("/state/n_features_in", f"expected at most {MAX_FEATURES}")
    # Every tree's columns are read (kinds of numbers) before anything is compared: the
    # schema checks the arrays the parser read as such before decoding, whatever else is wrong.
    iterations = state["predictors"]
    read = {
        (i, k): _read_tree(tree, f"/state/predictors/{i}/{k}", ctx)
        for i, it in enumerate(iterations if isinstance(iterations, list) else [])
        for k, tree in enumerate(it if isinstance(it, list) else [])
    }
    n_trees = decode_count(state["n_trees_per_iteration"], "/state/n_trees_per_iteration")
    n_iter = decode_count(state["n_iter"], "/state/n_iter")
    if is_classifier(est):
        classes = decode_labels(state["classes"], "/state/classes", labels_dtype(state))
        if len(classes) < 2:
            raise InvalidModelError("/state/classes", "expected at least 2 classes")
        expected = 1 if len(classes) == 2 else len(classes)
        attributes.update(classes_=classes)
    else:
        expected = 1
    if n_trees != expected:
        raise InvalidModelError("/state/n_trees_per_iteration", f"expected {expected}")
    baseline = decode_floats(
        state["baseline_prediction"], "/state/baseline_prediction", shape=(n_trees,)
    )
    features, categories, missing = _decode_categorical(state, n_features, est.max_bins)
    position = {f: k for k, f in enumerate(features)}
    cat_mask = np.zeros(n_features, dtype=bool)
    cat_mask[features] = True
    order = np.concatenate([np.flatnonzero(cat_mask), np.flatnonzero(~cat_mask)])
    internal_of = np.empty(n_features, dtype=np.intp)
    internal_of[order] = np.arange(n_features)

    if not isinstance(iterations, list) or len(iterations) != n_iter:
        raise InvalidModelError("/state/predictors", f"expected {n_iter} iterations")
    nodes, pointers = [], []
    for i, it in enumerate(iterations):
        if not isinstance(it, list) or len(it) != n_trees:
            raise InvalidModelError(f"/state/predictors/{i}", f"expected {n_trees} trees")
        for k in range(n_trees):
            pointers.append(f"/state/predictors/{i}/{k}")
            nodes.append(_check_lengths(read[i, k], pointers[-1]))
    check_structure(nodes, pointers, n_features)
    trees = []
    for columns, pointer in zip(nodes, pointers):
        trees.append(_tree_columns(columns, pointer, cat_mask, position, categories, internal_of))

    bin_thresholds = None
    if "bin_thresholds" in state:
        node = _rows(state["bin_thresholds"])
        if not isinstance(node, list) or len(node) != n_features:
            raise InvalidModelError("/state/bin_thresholds", f"expected {n_features} entries")
        bin_thresholds = [
            None if t is None else decode_floats(t, f"/state/bin_thresholds/{j}")
            for j, t in enumerate(node)
        ]
        for j, t in enumerate(bin_thresholds):
            if (t is None) != (j in position) or (t is not None and len(t) >= est.max_bins):
                raise InvalidModelError(
                    f"/state/bin_thresholds/{j}",
                    "expected null for a categorical feature, else fewer than max_bins numbers",
                )
        bin_thresholds = [bin_thresholds[j] for j in order]  # (by internal column)
    else:
        ctx.missing.update(COMPACT_MISSING)
    X = _fitting_rows(est, attributes, features, categories, missing)
    attributes["n_trees_per_iteration_"] = n_trees
    set_fitted(est, {k: v for k, v in attributes.items() if not k.startswith("feature_names")})
    _compat.hgb_rebuild(
        est,
        X,
        [trees[i * n_trees : (i + 1) * n_trees] for i in range(n_iter)],
        baseline,
        bin_thresholds,
    )
    _check_rebuilt(est, cat_mask, categories, missing)
    attributes["is_categorical_"] = est.is_categorical_
    attributes["do_early_stopping_"] = bool(state["do_early_stopping"])
    for name in TRACES:
        attributes[name + "_"] = decode_floats(state[name], f"/state/{name}")
    return attributes


def _decode_categorical(state: dict, n_features: int, max_bins: int):
    if "categorical_features" not in state:
        return [], [], []
    features = decode_ints(state["categorical_features"], "/state/categorical_features")
    if len(features) == 0:
        raise InvalidModelError("/state/categorical_features", "expected at least one feature")
    bad = (features < 0) | (features >= n_features) | (np.diff(features, prepend=-1) <= 0)
    if bad.any():
        raise InvalidModelError(
            f"/state/categorical_features/{int(np.argmax(bad))}",
            f"expected increasing feature indices in [0, {n_features})",
        )
    n = len(features)
    for name in ("categories", "categories_dtype", "categories_missing"):
        if not isinstance(_rows(state.get(name)), list) or len(state[name]) != n:
            raise InvalidModelError(f"/state/{name}", f"expected {n} entries")
    categories = []
    for j, node in enumerate(_rows(state["categories"])):
        dtype = decode_label_dtype(state["categories_dtype"][j], f"/state/categories_dtype/{j}")
        values = decode_labels(node, f"/state/categories/{j}", dtype)
        if len(values) > max_bins:
            raise InvalidModelError(f"/state/categories/{j}", f"expected at most {max_bins}")
        categories.append(values)
    missing = [bool(m) for m in state["categories_missing"]]
    return features.tolist(), categories, missing


def _rows(node):
    """A list of arrays, where the parser read equal-length rows of numbers as one 2-D array."""
    return list(node) if isinstance(node, np.ndarray) and node.ndim == 2 else node


# Node columns: (document name, name in PREDICTOR_RECORD_DTYPE / check_structure, decoder).
COLUMNS = (
    ("children_left", "left_child", decode_ints),
    ("children_right", "right_child", decode_ints),
    ("feature", "feature", decode_ints),
    ("threshold", "threshold", lambda v, p: decode_floats(v, p, nonfinite=True)),
    ("missing_go_to_left", "missing_go_to_left", decode_flags),
    ("value", "value", decode_floats),
    ("is_categorical", "is_categorical", decode_flags),
    ("bitset_index", "bitset_index", decode_ints),
    ("count", "count", decode_ints),
    ("gain", "gain", decode_floats),
    ("bin_threshold", "bin_threshold", decode_ints),
)


def _read_tree(node, pointer: str, ctx: Decoding) -> dict:
    """One tree's columns, each checked for its kind of numbers first (as the schema does
    where the parser read it as an array), then all for their lengths."""
    if not isinstance(node, dict):
        raise InvalidModelError(pointer, "expected a tree object")
    at = lambda name: pointer_join(pointer, name)  # noqa: E731
    columns = {
        internal: decoder(node[name], at(name))
        for name, internal, decoder in COLUMNS
        if name in node
    }
    if len(columns) < len(COLUMNS):
        ctx.missing.update(COMPACT_MISSING)
    columns["left_categories"] = _rows(node["left_categories"])
    return columns


def _check_lengths(columns: dict, pointer: str) -> dict:
    at = lambda name: pointer_join(pointer, name)  # noqa: E731
    n = len(columns["left_child"])
    if n == 0:
        raise InvalidModelError(at("children_left"), "expected at least one node")
    for name, internal, _ in COLUMNS:
        if internal in columns and len(columns[internal]) != n:
            raise InvalidModelError(
                at(name), f"expected {n} entries like children_left, found {len(columns[internal])}"
            )
    if not isinstance(columns["left_categories"], list):
        raise InvalidModelError(at("left_categories"), "expected an array of category lists")
    return columns


def _tree_columns(c, pointer, cat_mask, position, categories, internal_of) -> tuple:
    """PREDICTOR_RECORD_DTYPE columns (internal feature indices) and bitsets of one checked
    tree; categorical splits checked against the feature's known categories."""
    at = lambda *parts: pointer_join(pointer, *parts)  # noqa: E731
    leaf = c["left_child"] == -1
    inner = ~leaf
    categorical = c["is_categorical"].astype(bool)
    on_categorical = cat_mask[np.where(inner, c["feature"], 0)]
    bad = inner & (categorical != on_categorical)
    if bad.any():
        i = int(np.argmax(bad))
        what = "a categorical split" if categorical[i] else "a numeric split"
        raise InvalidModelError(
            at("is_categorical", i),
            f"{what} on feature {int(c['feature'][i])}, which is "
            + ("not categorical" if categorical[i] else "categorical: expected 1"),
        )
    bad = leaf & categorical
    if bad.any():
        raise InvalidModelError(at("is_categorical", int(np.argmax(bad))), "expected 0 at a leaf")
    lists = c["left_categories"]
    index = c["bitset_index"]
    split = inner & categorical
    bad = split & ((index < 0) | (index >= len(lists)))
    if bad.any():
        raise InvalidModelError(
            at("bitset_index", int(np.argmax(bad))),
            f"expected an index into left_categories, in [0, {len(lists)})",
        )
    seen = set()
    for i in np.flatnonzero(split):
        if int(index[i]) in seen:
            raise InvalidModelError(at("bitset_index", i), "expected an index no other split uses")
        seen.add(int(index[i]))
    if len(seen) != len(lists):
        raise InvalidModelError(
            at("bitset_index"), "expected each entry of left_categories used by exactly one split"
        )
    bitsets = np.zeros((len(lists), 8), dtype=np.uint32)
    for i in np.flatnonzero(split):
        b = int(index[i])
        f = int(c["feature"][i])
        known = categories[position[f]]
        where = at("left_categories", b)
        values = lists[b]
        if isinstance(values, np.ndarray):
            values = values.tolist()
        if not isinstance(values, list):
            raise InvalidModelError(where, "expected an array of categories")
        if len(values) > len(known):
            raise InvalidModelError(
                where, f"expected at most {len(known)} categories (those of feature {f})"
            )
        lookup = {_key(v): k for k, v in enumerate(known.tolist())}
        for j, v in enumerate(values):
            k = lookup.get(_key(v))
            if k is None:
                raise InvalidModelError(
                    pointer_join(where, j), f"expected a known category of feature {f}"
                )
            bitsets[b, k // 32] |= np.uint32(1 << (k % 32))
    out = {
        "value": c["value"],
        "feature_idx": np.where(leaf, 0, internal_of[np.where(leaf, 0, c["feature"])]),
        "num_threshold": c["threshold"],
        "missing_go_to_left": c["missing_go_to_left"],
        "left": np.where(leaf, 0, c["left_child"]),
        "right": np.where(leaf, 0, c["right_child"]),
        "depth": node_depths(c["left_child"], c["right_child"], np.zeros(1, dtype=np.intp)),
        "is_leaf": leaf.astype(np.uint8),
        "is_categorical": (categorical & inner).astype(np.uint8),
        "bitset_idx": np.where(split, index, 0),
    }
    for name in STATISTICS:
        if name in c:
            out[name] = c[name]
    if "gain" not in c:
        out["gain"] = np.where(leaf, -1.0, 0.0)
    return out, bitsets


def _key(v):
    """A category as a dictionary key: its type's kind and value ("1" is not 1, 1 is 1.0)."""
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, (bool, np.bool_)):
        return ("b", bool(v))
    if isinstance(v, (int, float, np.integer, np.floating)):
        return ("n", float(v))
    return None  # (no category: refused as unknown)


def _fitting_rows(est, attributes, features, categories, missing):
    """A few rows holding every known category (and NaN where the encoder saw it), for the
    running version's ``_preprocess_X`` to fit its preprocessing on."""
    n_features = attributes["n_features_in_"]
    n_rows = max([1] + [len(c) + m for c, m in zip(categories, missing)])
    if n_rows * n_features > MAX_CELLS:
        raise InvalidModelError(
            "/state/n_features_in",
            f"expected at most {MAX_CELLS // n_rows} features with {n_rows - 1} categories",
        )
    by_dtype = est.categorical_features == "from_dtype"
    names = attributes.get("feature_names_in_")
    if names is not None or by_dtype:  # (fitted on a DataFrame: rebuilt on one)
        try:
            import pandas as pd
        except ImportError:  # (no dependency of json_models: of the models fitted on frames)
            raise UnsupportedModelError(
                "rebuilding a HistGradientBoosting model fitted on a DataFrame needs pandas "
                "(pip install pandas)"
            ) from None
    columns = {}
    for f, known, nan in zip(features, categories, missing):
        values = known.tolist() + ([np.nan] if nan else [])
        if known.dtype.kind in "iubf" and nan:
            column = np.array(values, dtype=np.float64)
        else:
            column = np.array(values, dtype=object if nan else known.dtype)
        column = np.resize(column, n_rows)
        columns[f] = pd.Categorical(column, categories=known) if by_dtype else column
    X = np.zeros((n_rows, n_features))
    if names is not None:
        frame = pd.DataFrame(X, columns=names.tolist())
        for f, column in columns.items():
            frame.isetitem(f, column)
        return frame
    if by_dtype and features:
        raise InvalidModelError(
            "/state/feature_names_in", 'categorical_features="from_dtype" needs feature names'
        )
    if any(np.asarray(c).dtype.kind not in "fiub" for c in columns.values()):
        X = X.astype(object)
    for f, column in columns.items():
        X[:, f] = column
    return X


def _check_rebuilt(est, cat_mask, categories, missing) -> None:
    """The running version's preprocessing found the document's categorical features and
    categories, in the document's order."""
    found = est.is_categorical_
    found = np.zeros_like(cat_mask) if found is None else np.asarray(found, dtype=bool)
    if not np.array_equal(found, cat_mask):
        raise InvalidModelError(
            "/state/categorical_features",
            f"expected the features params.categorical_features names: {np.flatnonzero(found)}",
        )
    for j, (raw, known, nan) in enumerate(zip(_compat.hgb_categories(est), categories, missing)):
        if _known(raw).tolist() != known.tolist() or (len(raw) > len(known)) != nan:
            raise InvalidModelError(
                f"/state/categories/{j}",
                "expected the categories sorted as scikit-learn's OrdinalEncoder sorts them",
            )
