"""Family `naive_bayes`: what the zoo's generic tests do not say.

Every method of the four estimators (``predict_log_proba`` and ``predict_joint_log_proba`` too)
bit for bit after a round trip; models scikit-learn predicts NaN with refused at export;
hand-written invalid documents refused at their JSON Pointer by Python, Node and (where a
schema can say it) the schema; and the JavaScript runtime against scikit-learn on wide random
data, where numpy's pairwise summation over features (blocks of 8, halves beyond 128) decides
the last bits.
"""

from __future__ import annotations

import json
import warnings

import cases
import jsnode
import numpy as np
import pytest
from conftest import assert_bitwise_equal
from sklearn.naive_bayes import BernoulliNB, ComplementNB, GaussianNB, MultinomialNB

import json_models
from json_models import InvalidModelError, UnsupportedModelError, _fidelity
from json_models._validate import schema_validator

IDS = [i for i in cases.CASE_IDS if i.startswith("naive_bayes-")]
METHODS = ("predict", "predict_proba", "predict_log_proba", "predict_joint_log_proba")


def _same(rebuilt, est, X) -> None:
    for method in METHODS:
        want, got = getattr(est, method)(X), getattr(rebuilt, method)(X)
        assert got.dtype == want.dtype, method
        assert got.flags.f_contiguous == want.flags.f_contiguous, method
        if want.dtype.kind == "f":
            assert_bitwise_equal(got, want, method)
        else:
            np.testing.assert_array_equal(got, want, err_msg=method)


@pytest.mark.parametrize("case_id", IDS)
def test_every_method_round_trips_bit_for_bit(case_id):
    est, data = cases.fitted(case_id)
    for arrays in ("list", "base64"):
        _same(json_models.loads(json_models.dumps(est, arrays=arrays)), est, data.X_test)


def test_weighted_single_class_and_per_feature_alpha_round_trip():
    data = cases.dataset("digits")
    X, y = data.X_train, data.y_train
    weights = np.random.RandomState(0).rand(len(y))
    models = [
        GaussianNB().fit(X, y, sample_weight=weights),
        MultinomialNB(alpha=np.linspace(0.1, 2, X.shape[1])).fit(X, y, sample_weight=weights),
        ComplementNB().fit(X, np.zeros(len(y))),  # one class: class_log_prior is added
        BernoulliNB(binarize=None).fit(X > 4, y),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (GaussianNB: one class)
        models.append(GaussianNB().fit(X, np.zeros(len(y))))
    for est in models:
        _same(json_models.loads(json_models.dumps(est)), est, data.X_test)


def test_models_scikit_learn_predicts_nan_with_are_refused_at_export():
    X = cases.dataset("iris").X_train.copy()
    y = cases.dataset("iris").y_train
    X[:, 1] = 2.0  # a constant feature with var_smoothing=0: a variance of 0
    with pytest.raises(UnsupportedModelError, match="var_"):
        json_models.dumps(GaussianNB(var_smoothing=0).fit(X, y))
    counts = cases.dataset("digits")
    with pytest.raises(UnsupportedModelError, match="feature_log_prob_"):  # counts, not 0/1
        json_models.dumps(BernoulliNB(binarize=None).fit(counts.X_train, counts.y_train))


# ---------------------------------------------------------------- invalid documents

NODE_LOAD = """
import { loadModel } from "./src/index.js";
let text = "";
for await (const chunk of process.stdin) text += chunk;
console.log(JSON.stringify(JSON.parse(text).map((doc) => {
  try { loadModel(doc); return null; } catch (e) { return e.pointer ?? String(e); }
})));
"""


def _doc(est, data="iris"):
    d = cases.dataset(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return json.loads(json_models.dumps(est.fit(d.X_train, d.y_train)))


def _invalid_documents():
    """``(document, pointer, whether the schema refuses it, whether the JavaScript runtime
    reads the place)`` (it does not read what prediction does not use)."""
    out = []

    def bad(est, edit, pointer, schema=False, read=True):
        doc = _doc(est)
        edit(doc["state"], doc["params"])
        out.append((doc, pointer, schema, read))

    g = GaussianNB
    bad(g(), lambda s, p: s["var"][1].__setitem__(2, -1.0), "/state/var/1/2")
    bad(g(), lambda s, p: s["var"][0].__setitem__(0, 0.0), "/state/var/0/0")
    bad(g(), lambda s, p: s["var"].pop(), "/state/var")
    bad(g(), lambda s, p: s["theta"][2].append(1.0), "/state/theta/2")
    bad(g(), lambda s, p: s.__setitem__("class_prior", [0.5, 0.3, 0.1]), "/state/class_prior")
    bad(g(), lambda s, p: s.__setitem__("class_prior", [-0.5, 1.0, 0.5]), "/state/class_prior/0")
    bad(g(), lambda s, p: s.__setitem__("class_prior", [0.5, 0.5]), "/state/class_prior")
    bad(g(), lambda s, p: s.pop("theta"), "/state", schema=True)
    bad(g(), lambda s, p: s.__setitem__("feature_log_prob", s["theta"]), "/state", schema=True)
    bad(g(), lambda s, p: s["theta"][0].__setitem__(1, "NaN"), "/state/theta/0/1", schema=True)
    m = MultinomialNB
    nonfinite = lambda i, v: lambda s, p: s["class_log_prior"].__setitem__(i, v)  # noqa: E731
    bad(m(), nonfinite(1, "NaN"), "/state/class_log_prior/1", schema=True)
    bad(m(), nonfinite(0, "Infinity"), "/state/class_log_prior/0", schema=True)
    bad(m(), lambda s, p: s["class_log_prior"].pop(), "/state/class_log_prior")
    bad(m(), lambda s, p: s["feature_log_prob"][2].__setitem__(3, "-Infinity"),
        "/state/feature_log_prob/2/3", schema=True)  # fmt: skip
    bad(m(), lambda s, p: s["classes"].append(3), "/state/feature_log_prob")
    bad(m(), lambda s, p: s.__setitem__("theta", s["feature_log_prob"]), "/state", schema=True)
    bad(
        ComplementNB(),
        lambda s, p: s.__setitem__("feature_all", [1.0]),
        "/state/feature_all",
        read=False,
    )
    bad(m(), lambda s, p: s.__setitem__("feature_all", [1.0] * 4), "/state", schema=True)
    b = BernoulliNB(binarize=3.0)
    bad(b, lambda s, p: s["feature_log_prob"][1].__setitem__(0, 0.0), "/state/feature_log_prob/1/0")
    bad(b, lambda s, p: s["feature_log_prob"][0].__setitem__(2, 0.5), "/state/feature_log_prob/0/2")
    bad(b, lambda s, p: p.__setitem__("binarize", -1.0), "/params/binarize", schema=True)
    return out


def test_invalid_documents_are_refused_at_the_bad_place(tmp_path):
    """Python names the place; so does Node, except for what only a schema can say (a field of
    another estimator, a non-finite number in a text), which jsonschema and ajv both refuse,
    and fields prediction does not use (which Node does not read)."""
    documents = _invalid_documents()
    validator = schema_validator()
    for doc, pointer, schema, _ in documents:
        with pytest.raises(InvalidModelError) as info:
            json_models.from_dict(doc)
        assert info.value.pointer.startswith(pointer), str(info.value)
        assert bool(list(validator.iter_errors(doc))) == schema, pointer
    out = jsnode.run_node("--input-type=module", "-e", NODE_LOAD, input_text=json.dumps(
        [doc for doc, *_ in documents]))  # fmt: skip
    assert out.returncode == 0, out.stderr
    for (_, pointer, schema, read), got in zip(documents, json.loads(out.stdout), strict=True):
        assert got == pointer or ((schema or not read) and got is None), (pointer, got)
    paths = []
    for i, (doc, *_) in enumerate(documents):
        paths.append(tmp_path / f"{i}.json")
        paths[-1].write_text(json.dumps(doc))
    result = jsnode.run_node(jsnode.JS / "test" / "ajv-validate.mjs", *paths, timeout=300)
    assert result.returncode == 0, result.stderr
    valid = [json.loads(line)["valid"] for line in result.stdout.splitlines()]
    assert valid == [not schema for _, _, schema, _ in documents]


# ---------------------------------------------------------------- JavaScript against numpy


@pytest.mark.parametrize("n_features", [3, 8, 9, 64, 127, 128, 129, 300])
def test_node_follows_scikit_learn_on_wide_random_data(n_features, tmp_path):
    """Gaussian log-likelihoods summed as numpy sums them (pairwise: blocks of 8, halves
    beyond 128 terms); 12 classes, so that logsumexp sums more than 8 terms too."""
    rng = np.random.RandomState(n_features)
    X = rng.randn(400, n_features) * rng.rand(n_features) * 10 + rng.randn(n_features)
    y = rng.randint(0, 12, len(X))
    Z = X[:150] + rng.randn(150, n_features)
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps(Z.tolist()))
    for est in (GaussianNB().fit(X, y), MultinomialNB().fit(np.abs(X), y),
                ComplementNB().fit(np.abs(X), y), BernoulliNB(binarize=1.0).fit(X, y)):  # fmt: skip
        model = tmp_path / "model.json"
        json_models.dump(est, model)
        expected = _fidelity.predictions(est, Z)
        assert _fidelity.mismatches(est, Z, expected, jsnode.predict(model, rows)) == []
