"""The document modes: each combination of the two writing options of ``to_dict``, ``dumps``
and ``dump`` (``compact`` and ``arrays``), under one name each. The tests write every case in
every mode and ``python -m benchmarks`` measures every mode, so both spell them from here."""

from __future__ import annotations

#: Mode name -> the keyword options that write a document in that mode.
MODES = {
    "plain": {},
    "compact": {"compact": True},
    "base64": {"arrays": "base64"},
    "compact+base64": {"compact": True, "arrays": "base64"},
}
