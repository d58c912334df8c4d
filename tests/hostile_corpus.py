"""A corpus of hand-made hostile documents, one attack each, from the findings of the security
audit (issue 13): the attack, the document's bytes, and the verdict both runtimes must give.

Every entry names the JSON Pointer at which loading must refuse the document (``None``: it
must load and predict). Both runtimes give the same verdict on what both read; the JavaScript
runtime reads only what prediction needs, so where an attack sits in parameters or in keys it
does not read, ``node`` says what it gives instead, and why.

Built by :func:`build`, which fits a few small models: never at import.
"""

from __future__ import annotations

import copy
import gzip
import json
import lzma
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.datasets import load_iris
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

import json_models as jm

SAME = "same"  # the JavaScript runtime gives the verdict Python gives
LOADS = "loads"  # it does not read the attacked place, so it loads the document


@dataclass(frozen=True)
class Hostile:
    finding: int  # the audit's finding (issue 13), 1-10
    name: str
    data: bytes  # the file: JSON text, or gzip of it
    pointer: str | None  # where Python refuses it; None: it loads and predicts
    node: str = SAME  # SAME, LOADS, or the pointer Node refuses at
    why: str = ""  # why Node's verdict differs, where it does
    predict: bool = True  # (a model of 2**31 - 1 features loads; no row is that long)

    @property
    def gzipped(self) -> bool:
        return self.data[:2] == b"\x1f\x8b"

    def node_verdict(self) -> str | None:
        """The pointer Node must refuse at, or None where it must load."""
        if self.node == SAME:
            return self.pointer
        return None if self.node == LOADS else self.node


def _text(doc) -> bytes:
    return json.dumps(doc).encode()


SENTINEL = 12345.678125  # a number no seed holds, replaced in the text by an attack


def _replace(doc, number: bytes) -> bytes:
    text = _text(doc)
    assert text.count(b"12345.678125") == 1
    return text.replace(b"12345.678125", number)


def _seeds() -> dict:
    iris = load_iris()
    X, y = iris.data, iris.target
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    rng = np.random.default_rng(0)
    X6 = rng.normal(size=(200, 6))
    frame = pd.DataFrame(X6, columns=[f"col{i}" for i in range(6)])
    Y20 = (X6[:, :1] + rng.normal(size=(200, 20)) > 0).astype(int) * 7
    models = {
        "tree": DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, names),
        "regressor": DecisionTreeRegressor(max_depth=3, random_state=0).fit(
            X6, np.c_[X6[:, 0], X6[:, 1]]
        ),
        "twenty_outputs": DecisionTreeClassifier(max_depth=3, random_state=0).fit(X6, Y20),
        "forest": RandomForestClassifier(3, max_depth=3, random_state=0, n_jobs=2).fit(X, y),
        "boosting": GradientBoostingClassifier(n_estimators=3, max_depth=2, random_state=0).fit(
            X, y == 1
        ),
        "logistic": LogisticRegression(max_iter=500).fit(X, y),
        "ridge": Ridge().fit(X6, X6[:, 0]),
        "frame": DecisionTreeClassifier(max_depth=3, random_state=0).fit(frame, X6[:, 0] > 0),
    }
    return {name: jm.to_dict(model) for name, model in models.items()}


def build() -> list[Hostile]:
    """The corpus (a few seconds: it fits eight small models)."""
    seeds = _seeds()

    def doc(name):
        return copy.deepcopy(seeds[name])

    out = []

    def add(finding, name, data, pointer, **how):
        if not isinstance(data, bytes):
            data = _text(data)
        out.append(Hostile(finding, name, data, pointer, **how))

    # 1. Labels that numpy holds fixed-width: one long label among many.
    d = doc("tree")
    d["state"]["classes"] = [f"label{i}" for i in range(999)] + ["x" * 1_000_000]
    add(1, "one long label among a thousand", d, "/state/classes")
    d = doc("tree")
    d["params"]["class_weight"] = [[f"c{i}", 1.0] for i in range(2999)] + [["y" * 400_000, 1.0]]
    add(
        1,
        "one long class_weight label",
        d,
        "/params/class_weight",
        node=LOADS,
        why="parameters are not read by the JavaScript runtime",
    )

    # 2. Declared sizes far beyond the data.
    for value in (5e8, 2**31 - 1):
        d = doc("regressor")
        d["state"]["n_outputs"] = value
        add(2, f"a regressor declaring {value:.0f} outputs", d, "/state/tree/value")
    d = doc("regressor")
    d["state"]["n_outputs"] = 2**63
    add(2, "n_outputs 2**63", d, "/state/n_outputs")
    d = doc("twenty_outputs")
    d["state"]["n_outputs"] = 500_000_000
    add(2, "a classifier declaring 5e8 outputs", d, "/state/classes")
    d = doc("tree")
    d["state"]["n_features_in"] = 2**31 - 1
    add(2, "a small tree declaring 2**31 - 1 features", d, None, predict=False)
    d = doc("tree")
    d["state"]["tree"]["threshold"] = {"dtype": "float64", "shape": [2**30], "base64": "AAAA"}
    add(2, "a binary array declaring 2**30 entries", d, "/state/tree/threshold/base64")

    # 3. Objects of many keys (simdjson looks a key up by a scan).
    d = doc("ridge")
    d["params"].update({f"p{i}": i for i in range(100_000)})
    add(3, "100,000 parameters", d, None)
    d = doc("ridge")
    d["state"].update({f"s{i}": i for i in range(100_000)})
    add(
        3,
        "100,000 keys in the state",
        d,
        "/state/s0",
        node=LOADS,
        why="the JavaScript runtime ignores keys it does not read",
    )

    # 4. Cost beyond size: numbers outside /state, whitespace, compression bombs.
    text = _text(doc("ridge"))
    add(
        4,
        "4 million numbers outside the state",
        gzip.compress(text[:-1] + b', "extra": [' + b"1.5," * 4_000_000 + b"1.5]}"),
        "/extra",
        node=LOADS,
        why="the JavaScript runtime ignores keys it does not read",
    )
    add(4, "16 MiB of whitespace", gzip.compress(text[:1] + b" " * 2**24 + text[1:]), None)
    honest = gzip.compress(b" " * (2**28 + 2**20), 9)
    add(4, "a gzip bomb (its trailer says 257 MiB)", honest, "")
    liar = honest[:-4] + (1000).to_bytes(4, "little")
    add(4, "a gzip bomb whose trailer says 1,000 bytes", liar, "")

    # 5. Values the schema accepts that once raised other errors.
    d = doc("regressor")
    d["state"]["n_outputs"] = 2.0
    add(5, "n_outputs 2.0 (an integer to JSON Schema)", d, None)
    d = doc("boosting")
    d["state"]["n_trees_per_iteration"] = 1.0
    add(5, "n_trees_per_iteration 1.0", d, None)
    d = doc("regressor")
    d["state"]["tree"]["value"][0] = [[0.5]] * 1_000_000
    add(5, "a ragged value whose first row is long", d, "/state/tree/value/1")
    d = doc("twenty_outputs")
    d["state"]["n_outputs"] = 200_000
    d["state"]["classes"] = [[0, 7]] * 200_000
    add(5, "200,000 outputs", d, "/state/tree/value")

    # 6. A multi-output classifier with numeric labels, read by the fast reader as one array.
    add(6, "20 outputs of numeric labels", doc("twenty_outputs"), None)

    # 7. Parameters that would choose this machine's resources.
    d = doc("forest")
    d["params"].update(n_jobs=1_000_000, verbose=100)
    add(7, "a forest asking for a million threads and verbose output", d, None)

    # 8. Where JSON readers differ: one verdict in both runtimes.
    d = doc("logistic")
    d["state"]["classes"] = [0, 1, 2**53 + 1]
    add(8, "an integer label beyond 2**53", d, "/state/classes/2")
    d = doc("tree")
    d["state"]["classes"][1] = "versicolor\u0000"
    add(8, "a label ending in NUL", d, "/state/classes/1")
    d = doc("tree")
    text = _text(d)
    add(
        8,
        "a key given twice (the last counts)",
        text.replace(b'"classes": [', b'"classes": [1, 2, 3], "classes": [', 1),
        None,
    )
    d = doc("ridge")
    d["state"]["coef"][3] = SENTINEL
    add(8, "1e400 in coef", _replace(d, b"1e400"), "/state/coef/3")
    d = doc("tree")
    d["state"]["tree"]["threshold"][0] = SENTINEL
    add(8, "1e400 as a threshold (infinity: every row goes left)", _replace(d, b"1e400"), None)
    d["state"]["tree"]["threshold"][0] = SENTINEL
    add(
        8,
        "an integer beyond 64 bits as a threshold",
        _replace(d, b"123456789012345678901234567890"),
        None,
    )
    d = doc("tree")
    d["state"]["classes"][1] = "LONE"
    add(
        8,
        "a lone surrogate in a label",
        _text(d).replace(b'"LONE"', b'"\\ud800"', 1),
        "/state/classes/1",
    )
    d = doc("tree")
    d["state"]["tree"]["children_left"][2] = True
    add(8, "true among node indices", d, "/state/tree/children_left/2")
    d = doc("tree")
    d["state"]["tree"]["children_left"] = [float(i) for i in d["state"]["tree"]["children_left"]]
    add(8, "node indices written as 1.0", d, None)

    # 8, found by review: one verdict where the readers' paths differ.
    d = doc("tree")
    d["state"]["tree"]["threshold"][1] = [0.5]
    d["producer"]["name"] = "BRACKET"  # a "[" written as an escape: the count of "[" is fooled
    add(
        8,
        "an array hidden among numbers, and an escaped [ in a string",
        _text(d).replace(b'"BRACKET"', b'"\\u005b"'),
        "/state/tree/threshold/1",
    )
    d = doc("tree")
    leaf = d["state"]["tree"]["children_left"].index(-1)
    d["state"]["tree"]["feature"][leaf] = 2**53
    add(8, "2**53 as a leaf's feature", d, f"/state/tree/feature/{leaf}")
    d = doc("twenty_outputs")
    d["state"]["tree"]["value"][5][3] = [0.5, 0.5, 0.5]
    add(8, "a ragged row inside rows read as numpy", d, "/state/tree/value/5/3")
    d = doc("tree")
    d["state"]["classes"][2] = "\U0001f600" * 3_000_000
    d["state"]["classes_dtype"] = "<U3000000"
    add(8, "astral labels, counted in characters", d, None)
    add(
        4,
        "an xz stream asking for a 1.5 GiB dictionary",
        lzma.compress(
            _text(doc("ridge")),
            format=lzma.FORMAT_XZ,
            filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1536 << 20}],
        ),
        "",
    )

    # 9. Rules of the schema past the first entries of a list.
    d = doc("frame")
    d["state"]["feature_names_in"][5] = d["state"]["feature_names_in"][0]
    add(9, "a feature name given twice, at index 5", d, "/state/feature_names_in/5")
    d = doc("frame")
    d["params"]["monotonic_cst"] = [0, 0, 0, 0, 0, 7]
    add(
        9,
        "a bad monotonic_cst entry at index 5",
        d,
        "/params/monotonic_cst/5",
        node=LOADS,
        why="parameters are not read by the JavaScript runtime",
    )
    return out
