"""glm: generalized linear models (PoissonRegressor, GammaRegressor, TweedieRegressor).

Prediction is the inverse link of the linear predictor ``intercept + coef @ x``: ``exp`` for the
log link (Poisson, Gamma; Tweedie with ``power > 0`` or ``link="log"``), the value itself for
the identity link. The document records the link the model predicts with (``state.link``);
loading rebuilds the running scikit-learn's loss from the parameters, and refuses a document
whose parameters give another link.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import GammaRegressor, PoissonRegressor, TweedieRegressor

from .. import _compat
from .._arrays import Encoder, decode_floats, decode_ints, encode_float
from .._decoding import Decoding
from ..errors import InvalidModelError
from ._common import decode_common, encode_common

FAMILY = "glm"
ORDER = 2  # place in the README's table: after linear
ESTIMATORS = (PoissonRegressor, GammaRegressor, TweedieRegressor)
LINKS = ("log", "identity")


def encode(est, enc: Encoder) -> dict:
    state = encode_common(est)
    state["coef"] = enc.floats(est.coef_, "coef_")
    state["intercept"] = encode_float(est.intercept_, "intercept_")
    state["link"] = _compat.glm_link(_compat.glm_fitted_loss(est))
    state["n_iter"] = int(est.n_iter_)
    dtypes = {k: "float32" for k in ("coef", "intercept") if _float32(getattr(est, k + "_"))}
    if dtypes:  # (a fit on float32 X keeps float32 coefficients)
        state["dtypes"] = dtypes
    return state


def _float32(value) -> bool:
    return np.asarray(value).dtype == np.float32


def decode(state: dict, ctx: Decoding) -> dict:
    attributes = decode_common(state)
    n_features = attributes["n_features_in_"]
    attributes["coef_"] = decode_floats(state["coef"], "/state/coef", shape=(n_features,))
    attributes["intercept_"] = decode_floats(state["intercept"], "/state/intercept", ndim=0)
    if "n_iter" in state:  # (fit diagnostics: prediction does not use it)
        attributes["n_iter_"] = int(decode_ints(state["n_iter"], "/state/n_iter", ndim=0))
    link = state["link"]
    if link not in LINKS:
        raise InvalidModelError("/state/link", 'expected "log" or "identity"')
    loss = _compat.glm_loss(ctx.estimator)
    if _compat.glm_link(loss) != link:
        raise InvalidModelError(
            "/state/link",
            f'expected "{_compat.glm_link(loss)}", the link of the parameters (link, power), '
            f'found "{link}"',
        )
    attributes.update(_compat.glm_private(loss))
    for key, dtype in state.get("dtypes", {}).items():
        if key not in ("coef", "intercept") or dtype not in ("float64", "float32"):
            raise InvalidModelError(f"/state/dtypes/{key}", 'expected "float32" or "float64" here')
        wide = attributes[key + "_"]
        narrow = wide.astype(dtype)
        if (narrow != wide).any():  # (other readers apply the values as written)
            raise InvalidModelError(f"/state/{key}", f"expected values that {dtype} holds")
        attributes[key + "_"] = narrow if narrow.ndim else narrow[()]
    return attributes
