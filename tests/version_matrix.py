"""The cross-version check: the test zoo written under each scikit-learn version, read under
every other, by json-models (every document mode) and, for comparison, by pickle.

    python tests/version_matrix.py                        # every supported minor version
    python tests/version_matrix.py 1.4 1.6 1.9            # oldest, a middle one, newest (CI)
    python tests/version_matrix.py 1.4 1.9 --suite 1.4    # and the whole test suite under 1.4

Each version gets its own virtual environment under ``.matrix/`` (kept between runs), with this
checkout installed in it. A writer fits every zoo case and saves, per case, its document in each
mode, its pickle, and the outputs its scikit-learn computed on the probe rows; a reader loads
them and recomputes the outputs, which must be bit-for-bit equal (and of the same dtype). Exit
status 1 when any json-models document fails under any reader; pickle's failures are reported,
not judged.

Where the versions' semantics differ the reader records why instead of comparing: a model that
routes missing values, loaded by a scikit-learn that refuses missing values for that estimator,
is compared on the rows without them.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import subprocess
import sys
import time
import traceback
import warnings
from pathlib import Path

from json_models._modes import MODES

ROOT = Path(__file__).resolve().parent.parent
ENVS = ROOT / ".matrix"


# A document refused on purpose, with UnsupportedModelError, because the reader's scikit-learn
# cannot predict as the writer's did: not a failure, counted apart.
REFUSED = "refused by design"


def supported_minors() -> list[str]:
    """Every minor version of the ``scikit-learn>=A.B,<C.D`` range in pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text()
    low, high = re.search(r'"scikit-learn>=(\d+\.\d+),<(\d+\.\d+)"', text).groups()
    (major, lo), (_, hi) = (map(int, v.split(".")) for v in (low, high))
    return [f"{major}.{m}" for m in range(lo, hi)]


# ---------------------------------------------------------------- environments


def environment(version: str) -> Path:
    """The Python of a virtual environment with scikit-learn ``version`` and this checkout."""
    env = ENVS / f"sklearn-{version}"
    python = env / "bin" / "python"
    stamp = env / "installed.txt"
    # Rebuilt when the version or the dependencies (and extras) change, not for other edits.
    text = (ROOT / "pyproject.toml").read_text()
    dependencies = text.split("dependencies = [", 1)[1].split("[project.scripts]")[0]
    wanted = json.dumps([version, dependencies])
    if stamp.exists() and stamp.read_text() == wanted:
        return python
    print(f"== environment for scikit-learn {version}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(env)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-e", f"{ROOT}[test]", f"scikit-learn=={version}.*"],
        check=True,
    )  # fmt: skip
    stamp.write_text(wanted)
    return python


def run_in(version: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([str(environment(version)), __file__, *args], check=True, env=env)


# ---------------------------------------------------------------- inside one environment


def _zoo():
    sys.path.insert(0, str(ROOT / "tests"))
    from cases import CASE_IDS, fitted, outputs, probe_rows

    return CASE_IDS, fitted, outputs, probe_rows


def write(folder: Path) -> None:
    """Fit the zoo under this scikit-learn; save documents, pickles and expected outputs."""
    import sklearn

    import json_models as jm

    case_ids, fitted, outputs, probe_rows = _zoo()
    folder.mkdir(parents=True, exist_ok=True)
    for case_id in case_ids:
        est, data = fitted(case_id)
        X = probe_rows(est, data)
        for mode, options in MODES.items():
            (folder / f"{case_id}.{mode}.json").write_text(jm.dumps(est, **options))
        (folder / f"{case_id}.pkl").write_bytes(pickle.dumps(est))
        (folder / f"{case_id}.expected.pkl").write_bytes(pickle.dumps((X, outputs(est, X))))
    (folder / "index.json").write_text(
        json.dumps({"sklearn": sklearn.__version__, "cases": case_ids})
    )
    print(f"   wrote {len(case_ids)} cases under scikit-learn {sklearn.__version__}", flush=True)


def read(folder: Path, report: Path) -> None:
    """Load every document and pickle of ``folder``; record per case and mode: "ok", or why not."""
    import sklearn
    from conftest import assert_same_outputs, rows_this_version_takes, select_rows

    import json_models as jm

    _, _, outputs, _ = _zoo()
    index = json.loads((folder / "index.json").read_text())
    results = {}

    def check(load, X, expected) -> str:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = load()
                rows = rows_this_version_takes(est, X)
                assert_same_outputs(outputs(est, X[rows]), select_rows(expected, rows))
        except Exception as exc:  # noqa: BLE001 - every failure is a result here
            if isinstance(exc, jm.UnsupportedModelError):  # where the versions' semantics differ
                kind = REFUSED
            else:
                kind = "differs" if isinstance(exc, AssertionError) else "refused"
            return f"{kind}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
        return "ok"

    for case_id in index["cases"]:
        X, expected = pickle.loads((folder / f"{case_id}.expected.pkl").read_bytes())
        row = results[case_id] = {}
        for mode in MODES:
            path = folder / f"{case_id}.{mode}.json"
            row[mode] = check(lambda p=path: jm.load(p), X, expected)
        data = (folder / f"{case_id}.pkl").read_bytes()
        row["pickle"] = check(lambda d=data: pickle.loads(d), X, expected)
    report.write_text(
        json.dumps({"writer": index["sklearn"], "reader": sklearn.__version__, "cases": results})
    )


# ---------------------------------------------------------------- the whole matrix


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("versions", nargs="*", help="minor versions (default: every supported)")
    parser.add_argument("--suite", nargs="*", default=[], help="run pytest under these versions")
    parser.add_argument("--out", default=str(ENVS / "results"), help="documents and reports")
    args = parser.parse_args(argv)
    versions = args.versions or supported_minors()
    out = Path(args.out)
    started = time.monotonic()
    for version in versions:
        print(f"== writing the zoo under scikit-learn {version}", flush=True)
        run_in(version, "_write", str(out / f"written-by-{version}"))
    reports = {}
    for reader in versions:
        print(f"== reading every version's zoo under scikit-learn {reader}", flush=True)
        for writer in versions:
            report = out / f"read-{writer}-by-{reader}.json"
            run_in(reader, "_read", str(out / f"written-by-{writer}"), str(report))
            reports[writer, reader] = json.loads(report.read_text())
    failed = print_matrix(versions, reports)
    print(f"== matrix: {time.monotonic() - started:.0f} s", flush=True)
    suite_failed = False
    for version in args.suite:
        print(f"== the test suite under scikit-learn {version}", flush=True)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        done = subprocess.run(
            [str(environment(version)), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=ROOT,
            env=env,
        )
        suite_failed |= done.returncode != 0
    return 1 if failed or suite_failed else 0


def print_matrix(versions: list, reports: dict) -> bool:
    """Print, for json-models and for pickle, writer x reader tables of cases that reproduced
    every output bit for bit ("+N refused": documents refused by design); list every
    failure of json-models and every refusal. True if any failure."""
    failures, refusals = [], []
    for what, modes in (("json-models (all four modes)", list(MODES)), ("pickle", ["pickle"])):
        print(f"\n{what}: cases reproduced bit for bit, writer (rows) x reader (columns)")
        print("| written by \\ read by | " + " | ".join(versions) + " |")
        print("|---" * (len(versions) + 1) + "|")
        for writer in versions:
            cells = []
            for reader in versions:
                report = reports[writer, reader]
                cases = report["cases"]
                good = sum(all(cases[c][m] == "ok" for m in modes) for c in cases)
                refused = sum(any(cases[c][m].startswith(REFUSED) for m in modes) for c in cases)
                cells.append(f"{good}/{len(cases)}" + (f" (+{refused} refused)" if refused else ""))
                if modes != ["pickle"]:
                    for c in cases:
                        for m in modes:
                            line = (
                                f"{report['writer']} -> {report['reader']} {c} {m}: {cases[c][m]}"
                            )
                            if cases[c][m].startswith(REFUSED):
                                refusals.append(line)
                            elif cases[c][m] != "ok":
                                failures.append(line)
            print(f"| {writer} | " + " | ".join(cells) + " |")
    for lines, what in ((refusals, "refused by design"), (failures, "json-models failures")):
        if lines:
            print(f"\n{len(lines)} {what}:")
            print("\n".join(lines[:200]))
    return bool(failures)


if __name__ == "__main__":
    if sys.argv[1:2] == ["_write"]:
        sys.path.insert(0, str(ROOT / "tests"))
        write(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["_read"]:
        sys.path.insert(0, str(ROOT / "tests"))
        try:
            read(Path(sys.argv[2]), Path(sys.argv[3]))
        except Exception:
            traceback.print_exc()
            sys.exit(2)
    else:
        sys.exit(main())
