"""The repository keeps its word: the README's commands are CI's, pins agree, named files exist."""

from __future__ import annotations

import re
import tomllib

import yaml

from helpers import ROOT

DOCS = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md", "benchmarks/README.md"]
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def dev_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = (
        re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", d)
        for d in project["project"]["optional-dependencies"]["dev"]
    )
    return {m.group(1).lower(): m.group(2) for m in pins if m}


def test_the_readme_runs_the_tests_as_ci_does() -> None:
    """`.ci/run` is the README's quick start in a clean clone; the test command is the same line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (ci_pytest,) = re.findall(r"^\.venv/bin/pytest[^|\n]*?(?= \|\||$)", CI, re.MULTILINE)
    assert "--cov-fail-under=" in ci_pytest
    assert re.search(rf"^{re.escape(ci_pytest)}\s+# 3\. ", readme, re.MULTILINE), ci_pytest
    for check in ("ruff check src tests", "ruff format --check src tests", "mypy", "lint-imports"):
        assert f".venv/bin/{check}" in CI and f".venv/bin/{check}" in readme, check


def test_pre_commit_hooks_use_the_pinned_ruff() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    ruff = dev_pins()["ruff"]
    assert hooks["ruff"]["additional_dependencies"] == [f"ruff=={ruff}"]
    assert hooks["ruff-format"]["additional_dependencies"] == [f"ruff=={ruff}"]
    # mypy and lint-imports run from .venv, where the dev extra pins them.
    assert {"mypy", "import-linter"} <= set(dev_pins())
    assert (
        hooks["mypy"]["entry"] == ".venv/bin/mypy"
        and hooks["lint-imports"]["entry"] == ".venv/bin/lint-imports"
    )


def test_files_named_in_the_documentation_exist() -> None:
    """Every path into the repository that a document names (patterns too), except generated data."""
    named = r"(?<![\w./-])((?:\.ci|src|tests|benchmarks|samples|targets)/[\w./*-]*[\w*])"
    missing = []
    for doc in DOCS:
        for path in re.findall(named, (ROOT / doc).read_text(encoding="utf-8")):
            if path.split("/")[:2] == [
                "benchmarks",
                "data",
            ]:  # written by benchmarks/generate.py, git-ignored
                continue
            if not list(ROOT.glob(path)):
                missing.append(f"{doc}: {path}")
    assert missing == []


def test_each_package_docstring_names_its_modules() -> None:
    """The README sends a reader to each package's docstring to find what lives where."""
    import importlib

    unnamed = []
    for init in sorted((ROOT / "src" / "kpicheck").glob("*/__init__.py")):
        package = importlib.import_module(f"kpicheck.{init.parent.name}")
        doc = package.__doc__ or ""
        modules = {p.stem for p in init.parent.glob("*.py") if p.stem != "__init__"}
        folders = {p.parent.name for p in init.parent.glob("*/__init__.py")}
        unnamed += [f"{package.__name__}.{m}" for m in sorted(modules) if f"``{m}``" not in doc]
        unnamed += [f"{package.__name__}.{f}/" for f in sorted(folders) if f"``{f}/``" not in doc]
    assert unnamed == []
