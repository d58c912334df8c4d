"""Golden documents written by released versions keep loading and predicting the same."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_bitwise_equal, rows_this_version_takes, select_rows

import json_models as jm

FOLDER = Path(__file__).parent / "fixtures" / "v1"
DOCUMENTS = sorted(p for p in FOLDER.glob("*.json") if not p.name.endswith(".expected.json"))
# Fixtures are only ever added: raise this when adding some, never lower it.
EXPECTED_COUNT = 70


def test_fixture_count():
    assert len(DOCUMENTS) == EXPECTED_COUNT
    for path in DOCUMENTS:
        assert path.with_suffix(".expected.json").exists(), path.name


def as_expected(values):
    """JSON outputs back to arrays: float lists (null = NaN) as float64, labels as they are."""
    if (
        isinstance(values, list)
        and values
        and isinstance(values[0], list)
        and isinstance(values[0][0], list)
    ):
        return [as_expected(v) for v in values]  # one matrix per output
    a = np.asarray(values, dtype=object)
    kinds = {type(v) for v in a.ravel()}
    if kinds <= {float, int, type(None)} and float in kinds | {type(None)} and bool not in kinds:
        return np.asarray(np.where(a == None, np.nan, a), dtype=np.float64)  # noqa: E711
    return np.asarray(values)


def input_rows(values, columns):
    """The input rows: a float64 array, or (``columns``: a table of mixed types) the DataFrame
    it was, each column of its own dtype, a string column's missing values NaN."""
    if columns is None:
        return np.asarray(as_expected(values), dtype=np.float64)
    import pandas as pd

    frame = pd.DataFrame(values, columns=columns)
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), np.nan)
    return frame


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_fixture_loads_and_reproduces_its_outputs(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jm.CompactModelWarning)
        est = jm.load(path)
    columns = expected.pop("columns", None)
    X = input_rows(expected.pop("X"), columns)
    rows = rows_this_version_takes(est, X) if columns is None else np.ones(len(X), dtype=bool)
    for method, values in expected.items():
        actual = getattr(est, method)(X[rows])
        if hasattr(actual, "toarray"):  # (sparse: written as rows)
            actual = actual.toarray()
        if getattr(getattr(actual, "dtype", None), "kind", "") == "O":  # strings, NaN among them
            nan = [[None if v != v else v for v in row] for row in np.asarray(actual).tolist()]
            assert nan == values, method
            continue
        want = as_expected(values)
        if isinstance(want, list) and isinstance(actual, np.ndarray):  # 3-D: boosting's apply
            want = np.asarray(want)
        want = select_rows(want, rows)
        if isinstance(want, list):
            assert_bitwise_equal(list(actual), want, method)
        elif want.dtype.kind == "f":
            assert_bitwise_equal(np.asarray(actual, dtype=np.float64), want, method)
        else:
            np.testing.assert_array_equal(actual, want, err_msg=method)
