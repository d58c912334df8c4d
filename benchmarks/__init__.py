"""``python -m benchmarks``: the performance figures of json-models, measured in one run."""
