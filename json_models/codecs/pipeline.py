"""pipeline: estimators made of estimators, ``Pipeline`` and ``ColumnTransformer``.

Each step (each column transformer's transformer) is a document of its own inside the state,
read by the same schema and codecs as any other: ``{"name": ..., "model": <document>}``, or
a marker (``"passthrough"``, ``null`` or ``"drop"``) where scikit-learn takes one. A column
transformer's entries say which columns they take twice: as the user wrote them (``columns``:
what scikit-learn selects by, names or indices) and as indices into the input (``indices``:
what other readers select by); loading checks that both agree.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .. import _compat
from .._arrays import Encoder, decode_ints
from .._decoding import Decoding
from ..errors import InvalidModelError, UnsupportedModelError, pointer_join
from ._common import decode_common, encode_common

FAMILY = "pipeline"
ORDER = 20  # place in the README's table: after the estimators it holds
ESTIMATORS = (Pipeline, ColumnTransformer)
DELEGATES = (Pipeline,)  # estimators that have each method their last step has
# Parameters holding estimators: written as documents in the state, not as parameters.
NESTED_PARAMS = ("steps", "transformers", "remainder")
MARKERS = ("passthrough", "drop", None)


def check_fitted(est) -> None:
    """A Pipeline's steps are checked one by one as they are written (scikit-learn 1.4's own
    check fails on a last step of None)."""
    if isinstance(est, ColumnTransformer):
        check_is_fitted(est)


def encode(est, enc: Encoder) -> dict:
    if isinstance(est, Pipeline):
        return _encode_pipeline(est, enc)
    return _encode_columns(est, enc)


def decode_params(state: dict, ctx: Decoding) -> dict:
    """The parameters that hold estimators, rebuilt from the documents in the state (fitted:
    :func:`decode` puts unfitted copies where scikit-learn keeps them)."""
    if "steps" in state:
        return {"steps": _decode_steps(state["steps"], ctx)}
    entries = [
        (entry["name"], _model(entry["model"], ctx, f"/state/transformers/{i}/model"), None)
        for i, entry in enumerate(state["transformers"])
    ]
    remainder = _model(state["remainder"]["model"], ctx, "/state/remainder/model")
    return {"transformers": entries, "remainder": remainder}


def decode(state: dict, ctx: Decoding) -> dict:
    if isinstance(ctx.estimator, Pipeline):
        return _decode_pipeline(state, ctx.estimator)
    return _decode_columns(state, ctx.estimator)


# ---------------------------------------------------------------- both


def _model(model, ctx: Decoding, pointer: str):
    return ctx.model(model, pointer) if isinstance(model, dict) else model


def _encode_step(est, enc: Encoder, path: str):
    """A step as a document, or its marker; an estimator json-models cannot export is refused
    naming the step by its path (``steps[0] -> transformers["num"]``)."""
    if isinstance(est, str) or est is None:
        return est
    enc.depth += 1
    try:
        return enc.encode_model(est, enc)
    except UnsupportedModelError as exc:
        inner = getattr(exc, "step", None)
        step, reason = (f"{path} -> {inner}", exc.reason) if inner else (path, str(exc))
        raise _refused(step, reason) from None
    finally:
        enc.depth -= 1


def _refused(step: str, reason: str) -> UnsupportedModelError:
    """UnsupportedModelError naming the step by its path (a pipeline around it adds its own)."""
    error = UnsupportedModelError(f"{step}: {reason}")
    error.step, error.reason = step, reason
    return error


def _input_state(first) -> dict:
    """A Pipeline's ``n_features_in`` and ``feature_names_in``: its first step's (which keeps
    its own output config; a Pipeline has none)."""
    state = encode_common(first)
    return {k: state[k] for k in ("n_features_in", "feature_names_in") if k in state}


# ---------------------------------------------------------------- Pipeline


def _encode_pipeline(pipe: Pipeline, enc: Encoder) -> dict:
    first = next((step for _, step in pipe.steps if step not in MARKERS), None)
    if first is None:
        raise UnsupportedModelError("Pipeline: every step is passthrough; nothing to export")
    steps = [
        {"name": name, "model": _encode_step(step, enc, f"steps[{i}]")}
        for i, (name, step) in enumerate(pipe.steps)
    ]
    return {**_input_state(first), "steps": steps}


def _decode_steps(entries: list, ctx: Decoding) -> list:
    steps, names = [], set()
    for i, entry in enumerate(entries):
        pointer = f"/state/steps/{i}"
        name = _step_name(entry["name"], names, pointer_join(pointer, "name"))
        est = _model(entry["model"], ctx, pointer_join(pointer, "model"))
        if est == "drop":  # (a column transformer's marker)
            raise InvalidModelError(
                pointer_join(pointer, "model"), 'expected "passthrough" or null'
            )
        if i < len(entries) - 1 and est not in MARKERS and not hasattr(est, "transform"):
            raise InvalidModelError(
                pointer_join(pointer, "model", "estimator"),
                "expected a transformer: every step but the last transforms its input",
            )
        steps.append((name, est))
    if all(est in MARKERS for _, est in steps):
        raise InvalidModelError("/state/steps", "expected at least one estimator")
    return steps


def _step_name(name: str, seen: set, pointer: str) -> str:
    if name in seen:
        raise InvalidModelError(pointer, f"expected unique step names, found {name!r} again")
    if "__" in name:
        raise InvalidModelError(pointer, 'expected a name without "__" (scikit-learn\'s rule)')
    seen.add(name)
    return name


def _decode_pipeline(state: dict, pipe: Pipeline) -> dict:
    first = next(step for _, step in pipe.steps if step not in MARKERS)
    common = decode_common(state)
    _same_input(common, first)
    width = common["n_features_in_"]  # what the next step is given
    for i, (_, step) in enumerate(pipe.steps):
        if step in MARKERS:
            continue
        if step.n_features_in_ != width:
            raise InvalidModelError(
                f"/state/steps/{i}/model/state/n_features_in",
                f"expected {width}, the columns the step before gives",
            )
        width = _output_width(step, width)
    return {}  # (a Pipeline keeps nothing of its own: its steps are fitted)


def _output_width(step, width: int) -> int:
    """How many columns ``step`` gives (its output feature names), or ``width`` when it names
    none (a last step that predicts)."""
    if not hasattr(step, "transform"):
        return width
    try:
        return len(step.get_feature_names_out())
    except (AttributeError, ValueError, TypeError):  # (names it cannot give: not checked)
        return width


def _same_input(common: dict, first) -> None:
    """The state's input description is the first step's (readers check rows against it)."""
    if common["n_features_in_"] != first.n_features_in_:
        raise InvalidModelError(
            "/state/n_features_in",
            f"expected {first.n_features_in_}, the number of features of the first step",
        )
    names = getattr(first, "feature_names_in_", None)
    theirs = None if names is None else list(names)
    ours = common.get("feature_names_in_")
    if theirs != (None if ours is None else list(ours)):
        raise InvalidModelError(
            "/state/feature_names_in", "expected the first step's feature names"
        )


# ---------------------------------------------------------------- ColumnTransformer


def _encode_columns(ct: ColumnTransformer, enc: Encoder) -> dict:
    state = encode_common(ct)
    indices = _compat.column_indices(ct)
    places = getattr(ct, "output_indices_", {})  # (absent where every output is dropped)
    given = {name: trans for name, trans, _ in ct.transformers}
    entries = []
    for name, fitted, columns in ct.transformers_:
        if name == "remainder" and name not in given:
            continue
        model = given[name] if isinstance(given[name], str) else fitted
        if not isinstance(model, str) and not indices[name]:
            raise _refused(
                f"transformers[{_quote(name)}]",
                "it selects no column, so scikit-learn never fitted it; nothing to export (give "
                "it columns, or leave it out)",
            )
        entries.append(
            {
                "name": name,
                "model": _encode_step(model, enc, f"transformers[{_quote(name)}]"),
                "columns": _encode_columns_spec(columns, name),
                "indices": list(indices[name]),
                "outputs": _slice(places.get(name, slice(0, 0))),
            }
        )
    remainder = ct.remainder
    if not isinstance(remainder, str) and not indices["remainder"]:
        raise _refused(
            "remainder",
            "an estimator given no column is never fitted; nothing to export (remainder='drop' "
            "says the same)",
        )
    state["transformers"] = entries
    state["remainder"] = {
        "model": _encode_step(
            remainder if isinstance(remainder, str) else _remainder_fitted(ct),
            enc,
            "remainder",
        ),
        "indices": list(indices["remainder"]),
        "outputs": _slice(places.get("remainder", slice(0, 0))),
    }
    state["sparse_output"] = bool(ct.sparse_output_)
    return state


def _quote(name: str) -> str:
    return '"' + name.replace('"', '\\"') + '"'


def _remainder_fitted(ct: ColumnTransformer):
    return next(trans for name, trans, _ in ct.transformers_ if name == "remainder")


def _slice(s: slice) -> list:
    return [int(s.start or 0), int(s.stop or 0)]


def _encode_columns_spec(columns, name: str):
    """The columns of one transformer as the user chose them: an index, a name, a list of
    either, a boolean mask, or a slice (``{"slice": [start, stop, step]}``)."""
    if isinstance(columns, slice):
        return {"slice": [_plain(columns.start), _plain(columns.stop), _plain(columns.step)]}
    if isinstance(columns, (str, int, np.integer)):
        return _plain(columns)
    if isinstance(columns, (list, tuple, np.ndarray)) and not callable(columns):
        values = [_plain(c) for c in np.asarray(columns, dtype=object).ravel().tolist()]
        if all(isinstance(v, (str, int, bool)) for v in values):
            return values
    raise _refused(
        f"transformers[{_quote(name)}]",
        f"columns {columns!r} cannot be exported (a callable carries code: select columns by "
        "name, index or mask)",
    )


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _decode_columns_spec(spec):
    if isinstance(spec, dict):
        return slice(*spec["slice"])
    return spec


def _decode_columns(state: dict, ct: ColumnTransformer) -> dict:
    common = decode_common(state)
    n, names = common["n_features_in_"], common.get("feature_names_in_")
    _every_column_listed(state, n)
    fitted_models = [trans for _, trans, _ in ct.transformers]
    transformers, fitted, to_indices, outputs = [], [], {}, {}
    seen: set = set()
    used: set = set()
    for i, entry in enumerate(state["transformers"]):
        pointer = f"/state/transformers/{i}"
        name = _step_name(entry["name"], seen, pointer_join(pointer, "name"))
        if name == "remainder":
            raise InvalidModelError(pointer_join(pointer, "name"), '"remainder" is reserved')
        columns = _decode_columns_spec(entry["columns"])
        indices = _indices(entry["indices"], n, pointer_join(pointer, "indices"))
        expected = _resolve(columns, n, names, pointer_join(pointer, "columns"))
        if expected != indices:
            raise InvalidModelError(
                pointer_join(pointer, "indices"),
                f"expected {expected}, the indices its columns select",
            )
        used.update(indices)
        model = fitted_models[i]
        step = _fitted_step(model, indices, names, ct, pointer)
        _check_width(step, model, indices, entry["outputs"], pointer)
        transformers.append((name, clone(model) if model not in MARKERS else model, columns))
        fitted.append((name, step, columns))
        to_indices[name] = indices
        outputs[name] = slice(*entry["outputs"])
    rest = state["remainder"]
    remaining = _indices(rest["indices"], n, "/state/remainder/indices")
    if remaining != sorted(set(range(n)) - used):
        raise InvalidModelError("/state/remainder/indices", REMAINDER_RULE)
    to_indices["remainder"] = remaining
    outputs["remainder"] = slice(*rest["outputs"])
    remainder = ct.remainder
    ct.transformers = transformers  # (the remainder's columns are named by their kind)
    remainder_columns = _compat.remainder_columns(ct, remaining, n, names)
    if remaining:
        step = _fitted_step(remainder, remaining, names, ct, "/state/remainder")
        _check_width(step, remainder, remaining, rest["outputs"], "/state/remainder")
        fitted.append(("remainder", step, remainder_columns))
    unfitted = clone(remainder) if remainder not in MARKERS else remainder
    _check_outputs(state, outputs)
    return {
        **common,
        **_compat.column_transformer_columns(
            [c for _, _, c in transformers], ("remainder", unfitted, remainder_columns), to_indices
        ),
        "transformers": transformers,
        "remainder": unfitted,
        "transformers_": fitted,
        "output_indices_": outputs,
        "sparse_output_": state["sparse_output"],
    }


REMAINDER_RULE = "expected the columns no transformer takes, in order"


def _every_column_listed(state: dict, n: int) -> None:
    """Every input column is some entry's, or the remainder's: checked on the counts before
    anything the size of the input is made (a document may claim 2**31 - 1 columns)."""
    listed = sum(len(entry["indices"]) for entry in state["transformers"])
    if listed + len(state["remainder"]["indices"]) < n:
        raise InvalidModelError("/state/remainder/indices", REMAINDER_RULE)


def _indices(values, n: int, pointer: str) -> list:
    indices = decode_ints(values, pointer).tolist() if len(values) else []
    bad = next((k for k, i in enumerate(indices) if not 0 <= i < n), None)
    if bad is not None:
        raise InvalidModelError(
            pointer_join(pointer, bad), f"expected a column index in [0, {n}), found {indices[bad]}"
        )
    return indices  # (a column given twice, to one transformer, scikit-learn gives it twice)


def _resolve(columns, n: int, names, pointer: str) -> list:
    """The indices scikit-learn selects for ``columns`` (``_get_column_indices``)."""
    positions = np.arange(n)
    try:
        if isinstance(columns, slice) and any(
            isinstance(b, str) for b in (columns.start, columns.stop)
        ):  # a slice of names includes its end, as pandas' .loc
            start = 0 if columns.start is None else _name_index(columns.start, names)
            stop = n if columns.stop is None else _name_index(columns.stop, names) + 1
            return positions[start : stop : columns.step].tolist()
        if isinstance(columns, slice):
            return positions[columns].tolist()
        single = not isinstance(columns, list)
        keys = [columns] if single else columns
        if keys and all(isinstance(k, bool) for k in keys):
            if len(keys) != n:
                raise ValueError(f"expected a mask of {n} entries")
            return positions[np.asarray(keys, dtype=bool)].tolist()
        if all(isinstance(k, str) for k in keys):
            return [_name_index(k, names) for k in keys]
        if all(isinstance(k, int) and not isinstance(k, bool) for k in keys):
            return positions[keys].tolist()
        raise ValueError("expected column indices, names or a mask, not a mixture")
    except (ValueError, IndexError, TypeError) as exc:
        raise InvalidModelError(pointer, str(exc)) from None


def _name_index(name: str, names) -> int:
    if names is None:
        raise ValueError(f"columns by name ({name!r}) need the feature names the model saw")
    found = np.flatnonzero(np.asarray(names) == name)
    if not len(found):
        raise ValueError(f"expected a column of feature_names_in, found {name!r}")
    return int(found[0])


def _fitted_step(model, indices: list, names, ct: ColumnTransformer, pointer: str):
    """What ``transformers_`` holds for one entry: the fitted transformer (the one it was
    given, named as its columns), "drop", or for "passthrough" the identity scikit-learn fits
    in its place."""
    if model not in MARKERS:
        if not hasattr(model, "transform"):
            raise InvalidModelError(
                pointer_join(pointer, "model", "estimator"), "expected a transformer"
            )
        theirs = getattr(model, "feature_names_in_", None)  # (none: a step that saw none)
        ours = None if names is None else names[indices]
        if theirs is not None and (ours is None or list(theirs) != list(ours)):
            raise InvalidModelError(
                pointer_join(pointer, "model", "state", "feature_names_in"),
                "expected the names of the columns given to it",
            )
    if model != "passthrough":
        return model
    subset = None if names is None else names[indices]
    return _compat.passthrough_transformer(len(indices), subset, ct)


def _check_width(step, model, indices: list, outputs: list, pointer: str) -> None:
    start, stop = outputs
    if model == "drop":
        width = 0
    elif model == "passthrough":
        width = len(indices)
    else:
        width = (
            len(step.get_feature_names_out()) if hasattr(step, "get_feature_names_out") else None
        )
        if step.n_features_in_ != len(indices):
            raise InvalidModelError(
                pointer_join(pointer, "model", "state", "n_features_in"),
                f"expected {len(indices)}, the number of columns given to it",
            )
    if width is not None and stop - start != width:
        raise InvalidModelError(
            pointer_join(pointer, "outputs"),
            f"expected {width} output columns, found {stop - start}",
        )


def _check_outputs(state: dict, outputs: dict) -> None:
    """The output columns of the entries follow each other from 0, in order."""
    at = 0
    places = [f"/state/transformers/{i}/outputs" for i in range(len(state["transformers"]))]
    for s, pointer in zip(outputs.values(), [*places, "/state/remainder/outputs"]):
        if s.start == s.stop:  # (no output: scikit-learn's slice(0, 0))
            if s.start:
                raise InvalidModelError(pointer, "expected [0, 0] for no output columns")
            continue
        if s.start != at or s.stop < s.start:
            raise InvalidModelError(pointer, f"expected [{at}, ...], the next output columns")
        at = s.stop
