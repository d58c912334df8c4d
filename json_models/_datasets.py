"""Train/test splits of scikit-learn's bundled datasets (no download).

``json-models demo`` and ``json-models compare`` fit their models on these, and the test zoo
(``tests/cases.py``) builds its datasets on them: one split for all, so a model of the demo and
a zoo case fitted on the same dataset see the same rows. scikit-learn is imported on first use,
not when the command line starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BUNDLED = ("iris", "wine", "breast_cancer", "digits", "diabetes")


@dataclass
class Dataset:
    """The training and the held-out rows of one dataset."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def split(X, y) -> Dataset:
    """``X`` and ``y`` split 75/25 with a fixed seed: the same rows in every run."""
    from sklearn.model_selection import train_test_split

    return Dataset(*train_test_split(X, y, test_size=0.25, random_state=0))


def load(name: str) -> Dataset:
    """A bundled dataset, or "mixed" (:func:`mixed`: a DataFrame where pandas is installed,
    numpy object arrays otherwise)."""
    if name != "mixed":
        return bundled(name)
    try:
        import pandas  # noqa: F401
    except ImportError:
        return mixed(frame=False)
    return mixed()


def json_rows(X) -> list:
    """Rows as the JavaScript runtime takes them: lists of numbers and strings, null for a
    missing value (a DataFrame's or an object array's NaN)."""
    rows = X.to_numpy(dtype=object) if hasattr(X, "to_numpy") else np.asarray(X, dtype=object)
    return [
        [None if v != v else v.item() if isinstance(v, np.generic) else v for v in row]
        for row in rows
    ]


def bundled(name: str) -> Dataset:
    """One of scikit-learn's bundled datasets (:data:`BUNDLED`), split by :func:`split`."""
    from sklearn import datasets

    if name not in BUNDLED:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(BUNDLED)}")
    return split(*getattr(datasets, f"load_{name}")(return_X_y=True))


MIXED_COLUMNS = ("age", "income", "city", "color", "n_children", "member")
CATEGORICAL_COLUMNS = ("city", "color", "n_children", "member")


def mixed(frame: bool = True, unseen: bool = True) -> Dataset:
    """A customer table of mixed types, made up with a fixed seed: what pipelines are fitted
    on. Numbers and strings, missing values (NaN) in both, a city seen once or twice in
    training (rare) and, with ``unseen``, cities in held-out rows that training never saw. As
    pandas DataFrames (``frame``, columns :data:`MIXED_COLUMNS`, each of its own dtype) or
    numpy object arrays (no pandas needed); ``y`` is a 0/1 label."""
    rng = np.random.RandomState(0)
    n = 600
    cities = np.array(["Paris", "Lyon", "Nice", "Lille", "Nantes", "Brest", "Metz"], dtype=object)
    city = cities[rng.choice(7, n, p=[0.3, 0.25, 0.2, 0.13, 0.09, 0.005, 0.025])]
    columns = {
        "age": np.round(rng.normal(40, 12, n), 1),
        "income": np.round(rng.lognormal(10, 0.5, n), 2),
        "city": city,
        "color": np.array(["red", "green", "blue"], dtype=object)[rng.randint(0, 3, n)],
        "n_children": rng.randint(0, 5, n).astype(np.int64),
        "member": np.array(["yes", "no"], dtype=object)[rng.randint(0, 2, n)],
    }
    score = (
        (columns["age"] - 40) / 12
        + (columns["member"] == "yes") * 1.2
        + np.isin(columns["city"], ["Paris", "Nice"]) * 0.8
        - columns["n_children"] * 0.3
        + rng.normal(0, 0.7, n)
    )
    y = (score > 0).astype(np.int64)
    columns["age"][rng.rand(n) < 0.08] = np.nan
    for name, rate in (("city", 0.05), ("member", 0.1)):
        columns[name][rng.rand(n) < rate] = np.nan
    data = split(np.arange(n), y)
    train, test = data.X_train, data.X_test
    if unseen:  # held-out rows in cities training never saw
        columns["city"][test[:12]] = np.array(["Dijon", "Caen", "Brest"] * 4, dtype=object)
    else:  # (no row of another city; NaN is a category training saw)
        test = test[np.isin(columns["city"][test], columns["city"][train])]
    y_train, y_test = y[train], y[test]
    if frame:
        import pandas as pd

        # Strings as object columns, as pandas before 3.0 stores them (and scikit-learn 1.4
        # knows): pandas 3 would choose its new string dtype.
        table = pd.DataFrame({k: pd.Series(v, dtype=v.dtype) for k, v in columns.items()})
        rows = (table.iloc[i].reset_index(drop=True) for i in (train, test))
        return Dataset(*rows, y_train, y_test)
    table = np.empty((n, len(MIXED_COLUMNS)), dtype=object)
    for j, name in enumerate(MIXED_COLUMNS):
        table[:, j] = columns[name].tolist()
    return Dataset(table[train], table[test], y_train, y_test)
