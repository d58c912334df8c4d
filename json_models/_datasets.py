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


def bundled(name: str) -> Dataset:
    """One of scikit-learn's bundled datasets (:data:`BUNDLED`), split by :func:`split`."""
    from sklearn import datasets

    if name not in BUNDLED:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(BUNDLED)}")
    return split(*getattr(datasets, f"load_{name}")(return_X_y=True))
