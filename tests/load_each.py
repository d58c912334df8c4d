"""For tests/test_hostile_corpus.py: load each file named on the command line with
``json_models.load`` and predict a few rows of zeros with every method the model has; print one
JSON line per file: {"ok": true} or {"ok": false, "name": ..., "pointer": ..., "message": ...}.
Each file gets SECONDS to finish (SIGALRM), so a hang is reported as one, not waited out."""

import json
import signal
import sys
import time
import warnings

import numpy as np

import json_models as jm

SECONDS = 30


def _timeout(signum, frame):
    raise TimeoutError(f"took more than {SECONDS} s")


def verdict(path: str, predict: bool) -> dict:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = jm.load(path)
            if predict:
                rows = np.zeros((3, model.n_features_in_))
                for method in ("predict", "predict_proba", "decision_function"):
                    if hasattr(model, method):
                        getattr(model, method)(rows)
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 (any exception is a verdict to report)
        return {
            "ok": False,
            "name": type(exc).__name__,
            "pointer": getattr(exc, "pointer", None),
            "message": str(exc)[:300],
        }


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, _timeout)
    for path in sys.argv[1:]:
        start = time.perf_counter()
        signal.alarm(SECONDS)
        result = verdict(path.removesuffix(":nopredict"), not path.endswith(":nopredict"))
        signal.alarm(0)
        result["seconds"] = round(time.perf_counter() - start, 3)
        print(json.dumps(result), flush=True)
