// @ts-check
/**
 * Family `glm`: PoissonRegressor, GammaRegressor, TweedieRegressor.
 *
 * Prediction is the inverse link of the linear predictor `eta = sum_j coef_j * x_j + intercept`
 * (summed as the `linear` family does): `Math.exp(eta)` for the log link, `eta` for the
 * identity link. `state.link` must be the link the parameters give, as scikit-learn's
 * `_get_loss` derives it: log for Poisson and Gamma; for Tweedie `params.link`, where "auto"
 * means identity for `power <= 0` and log otherwise.
 * @module
 */
import { fail } from "../errors.js";
import { finite, need, string } from "../fields.js";
import { readLinear, scores } from "./linear.js";

/**
 * @param {boolean} tweedie
 * @returns {import("../family.js").Reader}
 */
const reader = (tweedie) => (state, params, ctx) => {
  finite(need(state, "/state", "intercept"), "/state/intercept"); // (a number: one target)
  const lin = readLinear(state, ctx.nFeatures);
  if (!lin.vector) fail("/state/coef", "expected 1 dimension(s), found 2");
  const link = string(need(state, "/state", "link"), "/state/link");
  let expected = "log";
  if (tweedie) {
    const chosen = string(need(params, "/params", "link"), "/params/link");
    if (!["auto", "identity", "log"].includes(chosen)) fail("/params/link", `expected "auto", "identity" or "log", found ${JSON.stringify(chosen)}`);
    const power = finite(need(params, "/params", "power"), "/params/power");
    expected = chosen === "auto" ? (power <= 0 ? "identity" : "log") : chosen;
  }
  if (link !== expected) fail("/state/link", `expected "${expected}", the link of the parameters (link, power), found ${JSON.stringify(link)}`);
  const exp = link === "log";
  return {
    classes: null,
    nOutputs: 1,
    float32: false,
    allowMissing: false,
    predict: (X) => {
      const eta = scores(lin, X);
      return Array.from(exp ? eta.map(Math.exp) : eta);
    },
  };
};

/** Estimators of this family, by public import path. */
export const ESTIMATORS = {
  "sklearn.linear_model.PoissonRegressor": reader(false),
  "sklearn.linear_model.GammaRegressor": reader(false),
  "sklearn.linear_model.TweedieRegressor": reader(true),
};
