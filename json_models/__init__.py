"""json-models: fitted scikit-learn models as plain, versioned, schema-validated JSON.

The API mirrors pickle: :func:`dump`, :func:`dumps`, :func:`load`, :func:`loads`, plus the dict
codecs :func:`to_dict` / :func:`from_dict` and :func:`validate`. Loading never runs code named
by a document: estimator names map through an allow-list.
"""

from ._api import dump, dumps, from_dict, load, loads, to_dict, validate
from ._format import FORMAT_VERSION, CompactModelWarning
from ._registry import SUPPORTED, supported_estimators
from ._version import __version__
from .errors import (
    InvalidModelError,
    JsonModelsError,
    UnsupportedModelError,
    UnsupportedVersionError,
)

__all__ = [
    "__version__",
    "FORMAT_VERSION",
    "SUPPORTED",
    "CompactModelWarning",
    "InvalidModelError",
    "JsonModelsError",
    "UnsupportedModelError",
    "UnsupportedVersionError",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "supported_estimators",
    "to_dict",
    "validate",
]
