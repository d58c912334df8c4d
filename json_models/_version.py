"""The one version number of json-models: the Python package (``pyproject.toml`` reads it from
here), the documents' ``producer`` field, and the npm package (``js_runtime/package.json``,
checked equal by ``tests/test_npm_package.py``)."""

__version__ = "0.1.0"
