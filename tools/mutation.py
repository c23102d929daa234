"""Mutation testing of quizdeck's core, one module at a time, with that module's tests only.

    .venv/bin/pip install -e '.[mutation]'
    .venv/bin/python tools/mutation.py store            # one module (a few minutes)
    .venv/bin/python tools/mutation.py grading bank     # several, one after the other
    .venv/bin/python tools/mutation.py --list           # the modules and their tests

The modules and the tests that judge each are `[tool.quizdeck.mutation]` in pyproject.toml; the
settings common to all are `[tool.mutmut]`. For each module the repository is copied to a scratch
folder (the working tree is never touched), its `[tool.mutmut]` narrowed to the module and its
tests, and `mutmut run` started there with HYPOTHESIS_PROFILE=mutation (the same examples every
run, no shrinking). mutmut runs, for each mutant, only the tests that call the mutated function.

Printed per module: mutants, killed (a test failed or it timed out), survived, not reached by any
test, and the score = killed / all, then the surviving mutants' names. The scratch folder is kept
and named, so that `cd FOLDER && mutmut show NAME` shows a mutant's diff. docs/testing.md records
the scores and the survivors judged equivalent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
#: Not copied to the scratch folder.
SKIP = {".git", ".venv", "mutants", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}


def modules() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(config["tool"]["quizdeck"]["mutation"])


def scratch_copy(module: str, tests: list[str]) -> Path:
    """The repository in a new folder, its [tool.mutmut] narrowed to one module and its tests."""
    folder = Path(tempfile.mkdtemp(prefix=f"quizdeck-mutation-{module}-")) / "quizdeck"
    shutil.copytree(ROOT, folder, ignore=lambda _dir, names: [n for n in names if n in SKIP])
    pyproject = folder / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    narrowed = (
        f'only_mutate = ["src/quizdeck/{module}.py"]\n'
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
    )
    text, count = re.subn(r"(?m)^# narrowed per module by tools/mutation\.py$", narrowed.rstrip("\n"), text)
    if count != 1:
        raise SystemExit("pyproject.toml: [tool.mutmut] lost its '# narrowed per module by tools/mutation.py' line")
    pyproject.write_text(text, encoding="utf-8")
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        # Tests read the source text and Moodle's example files from ../shared beside the
        # repository; mutmut runs them in FOLDER/mutants, whose ../shared is FOLDER/shared.
        for link in (folder.parent / "shared", folder / "shared"):
            link.symlink_to(shared.resolve(), target_is_directory=True)
    return folder


def counts(folder: Path) -> dict[str, int]:
    subprocess.run([str(MUTMUT), "export-cicd-stats"], cwd=folder, check=True, capture_output=True)
    stats = json.loads((folder / "mutants" / "mutmut-cicd-stats.json").read_text(encoding="utf-8"))
    return {key: int(value) for key, value in stats.items()}


def survivors(folder: Path) -> list[str]:
    """The names of the mutants no test killed."""
    done = subprocess.run([str(MUTMUT), "results"], cwd=folder, check=True, capture_output=True, text=True)
    return [line.split(":")[0].strip() for line in done.stdout.splitlines() if line.strip().endswith("survived")]


#: SQL in quizdeck's sources: upper-case keywords, or its few lower-case functions.
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|FROM|WHERE|VALUES|ORDER BY|PRAGMA|AND|ON CONFLICT|SET|JOIN|"
                 r"UNION|DISTINCT|BEGIN IMMEDIATE|COMMIT|ROLLBACK|IS NULL)\b|\b(sum|count|coalesce)\(|\bexcluded\.")


def change(folder: Path, name: str) -> tuple[str, str]:
    """The line a mutant changes: (before, after)."""
    done = subprocess.run([str(MUTMUT), "show", name], cwd=folder, check=True, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    # The first removed and added lines, past the "---"/"+++" file names (a line may start
    # at the margin, as a changed default argument's "def" line does).
    before = next((line[1:].strip() for line in lines if line.startswith("-") and not line.startswith("---")), "")
    after = next((line[1:].strip() for line in lines if line.startswith("+") and not line.startswith("+++")), "")
    return before, after


def sql_case_only(before: str, after: str) -> bool:
    """Whether a mutant only changes the letter case of SQL text: equivalent (SQL ignores it)."""
    return before != after and before.casefold() == after.casefold() and bool(SQL.search(before))


def run(module: str, tests: list[str], children: int) -> None:
    folder = scratch_copy(module, tests)
    print(f"== {module}: src/quizdeck/{module}.py against {' '.join(tests)}\n   in {folder}", flush=True)
    env = dict(os.environ, HYPOTHESIS_PROFILE="mutation")
    with (folder / "mutmut.log").open("w", encoding="utf-8") as log:
        done = subprocess.run([str(MUTMUT), "run", "--max-children", str(children)], cwd=folder, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    if not (folder / "mutants" / "mutmut-stats.json").exists():
        raise SystemExit(f"mutmut could not run the tests (exit status {done.returncode}): see {folder / 'mutmut.log'}")
    found = counts(folder)
    killed = found.get("killed", 0) + found.get("timeout", 0)
    total = found.get("total", 0) - found.get("skipped", 0)
    changes = {name: change(folder, name) for name in survivors(folder)}
    equivalent = [name for name, (before, after) in changes.items() if sql_case_only(before, after)]
    judged = total - len(equivalent)
    print(f"   {total} mutants: {killed} killed ({found.get('timeout', 0)} by timeout), "
          f"{found.get('survived', 0)} survived ({len(equivalent)} only change the case of SQL: equivalent), "
          f"{found.get('no_tests', 0)} reached by no test", flush=True)
    print(f"   score {killed / total if total else 1:.1%}; without the SQL-case mutants "
          f"{killed / judged if judged else 1:.1%}", flush=True)
    for name, (before, after) in changes.items():
        if name not in equivalent:
            print(f"   {name}\n      - {before}\n      + {after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("module", nargs="*", help="modules of src/quizdeck (default: all of them, in turn)")
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--children", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="mutants tested at once (default: the cores less one)")
    args = parser.parse_args()
    known = modules()
    if args.list:
        for name, tests in known.items():
            print(f"{name}: {' '.join(tests)}")
        return
    unknown = [m for m in args.module if m not in known]
    if unknown:
        parser.error(f"not configured: {', '.join(unknown)} (configured: {', '.join(known)})")
    for name in args.module or list(known):
        run(name, known[name], args.children)


if __name__ == "__main__":
    main()
