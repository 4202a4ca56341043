"""The pre-commit hooks in .pre-commit-hooks.yaml, run by the real pre-commit.

pre-commit clones the hook repository and pip-installs it into a virtualenv of
its own (apir-codegen and PyYAML, from the package index), so each test sets
up once and runs pre-commit as few times as it can.  The hook repository is a
git repository made in a temporary directory from this checkout's working
tree (the files ``pip install .`` needs, plus the hook manifest), so that
uncommitted and untracked changes are what gets tested and nothing is written
to this checkout.  Everything pre-commit and git write lives under
``tmp_path``: PRE_COMMIT_HOME, TMPDIR, pip's and virtualenv's caches and
the git configuration.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from apir_codegen import load_spec
from apir_codegen.pipeline import output_paths

from .conftest import EXAMPLE_SPEC
from .helpers import ROOT, Result, edit_file

needs_pre_commit = pytest.mark.skipif(
    shutil.which("git") is None or importlib.util.find_spec("pre_commit") is None,
    reason="git or pre-commit is not installed",
)
pytestmark = pytest.mark.slow  # deselect with -m "not slow" for a quick local run; plain pytest (CI) runs it

EXAMPLE = EXAMPLE_SPEC.parent
HEADERS = ("backend/shared/apir_backend.gen.h", "backend/backend-dispatched.gen.h", "virtgpu-forward.gen.h")
#: Where the spec sits in the repository of the first test, as in ggml.
SPEC_DIR = "ggml/src/ggml-virtgpu"
OLD_RETURN = 'frontend_return: "uint32_t"'  # device.get_type
NEW_RETURN = 'frontend_return: "uint64_t"'


def _env(tmp_path: Path) -> dict[str, str]:
    """The environment of every git and pre-commit call: private state, no outer git or hook settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.pop("SKIP", None)
    for name in ("home", "tmp", "cache"):
        (tmp_path / name).mkdir(exist_ok=True)
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = apir-codegen tests\n\temail = tests@apir-codegen.invalid\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "home"),
        TMPDIR=str(tmp_path / "tmp"),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        # pip's and virtualenv's caches, which default to ~/.cache.
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        PIP_CACHE_DIR=str(tmp_path / "cache" / "pip"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(tmp_path / "cache" / "virtualenv"),
        NO_COLOR="1",
    )
    return env


def _git(repo: Path, env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _hook_repo(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    """apir-codegen as pre-commit sees it: a git repository with the hook manifest, at one commit."""
    repo = tmp_path / "apir-codegen"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "apir-codegen")
    return repo, _git(repo, env, "rev-parse", "HEAD")


def _project(tmp_path: Path, env: dict[str, str], spec_dir: str) -> Path:
    """A project that commits the example spec and its headers in ``spec_dir``."""
    repo = tmp_path / "project"
    shutil.copytree(EXAMPLE, repo / spec_dir, dirs_exist_ok=True)
    (repo / "README.md").write_text("A project with a remoting spec.\n")
    _git(repo, env, "init", "-q")
    return repo


def _commit_all(repo: Path, env: dict[str, str], message: str) -> None:
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", message)


def _output(result: Result) -> str:
    return result.stdout + result.stderr


@needs_pre_commit
def test_hooks_check_and_regenerate_a_spec_given_by_args(tmp_path: Path) -> None:
    env = _env(tmp_path)
    hook_repo, rev = _hook_repo(tmp_path, env)
    repo = _project(tmp_path, env, SPEC_DIR)
    spec = f"{SPEC_DIR}/ggmlremoting_functions.yaml"
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"-   repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "    -   id: apir-codegen-check\n"
        f"        args: [{spec}]\n"
        "    -   id: apir-codegen-generate\n"
        f"        args: [{spec}]\n"
    )
    _commit_all(repo, env, "spec and headers")

    # In sync: both hooks pass (this run installs the hook environment).
    result = _pre_commit(repo, env, "run", "--all-files")
    assert result.returncode == 0, _output(result)
    assert "apir-codegen check" in result.stdout and "Passed" in result.stdout

    # A change that touches neither the spec nor a header does not run them.
    (repo / "README.md").write_text("Still a project with a remoting spec.\n")
    _git(repo, env, "add", "README.md")
    result = _pre_commit(repo, env, "run")
    assert result.returncode == 0, _output(result)
    assert "(no files to check)Skipped" in result.stdout
    _commit_all(repo, env, "readme")

    # The spec changes, the headers do not: the check fails and shows the diff;
    # the generate hook then brings the header up to date and stops the commit.
    edit_file(repo / spec, OLD_RETURN, NEW_RETURN)
    _git(repo, env, "add", spec)
    result = _pre_commit(repo, env, "run")
    out = _output(result)
    assert result.returncode == 1, out
    assert f"stale: {SPEC_DIR}/virtgpu-forward.gen.h" in out
    assert "-uint32_t                       apir_device_get_type(struct virtgpu * gpu);" in out
    assert "+uint64_t                       apir_device_get_type(struct virtgpu * gpu);" in out
    assert "files were modified by this hook" in out
    forward = (repo / SPEC_DIR / "virtgpu-forward.gen.h").read_text()
    assert "uint64_t                       apir_device_get_type(struct virtgpu * gpu);" in forward
    # Only the stale header was rewritten.
    for relpath in HEADERS[:2]:
        assert (repo / SPEC_DIR / relpath).read_bytes() == (EXAMPLE / relpath).read_bytes()

    # Staged, the regenerated header passes both hooks.
    _git(repo, env, "add", "-A")
    result = _pre_commit(repo, env, "run")
    assert result.returncode == 0, _output(result)


@needs_pre_commit
def test_try_repo_checks_the_spec_at_the_repository_root(tmp_path: Path) -> None:
    """Without args the hooks use ./ggmlremoting_functions.yaml; a hand-edited header fails the check."""
    env = _env(tmp_path)
    hook_repo, _ = _hook_repo(tmp_path, env)
    repo = _project(tmp_path, env, ".")
    _commit_all(repo, env, "spec and headers")

    result = _pre_commit(repo, env, "try-repo", str(hook_repo), "apir-codegen-check", "--all-files")
    assert result.returncode == 0, _output(result)
    assert "Passed" in result.stdout

    edit_file(repo / "backend/backend-dispatched.gen.h", "backend_buffer_clear,", "backend_buffer_free_buffer,")
    _git(repo, env, "add", "-A")
    result = _pre_commit(repo, env, "try-repo", str(hook_repo), "apir-codegen-check")
    out = _output(result)
    assert result.returncode == 1, out
    assert "stale: backend/backend-dispatched.gen.h" in out
    assert "-    /* APIR_COMMAND_TYPE_BUFFER_CLEAR  = */ backend_buffer_free_buffer," in out

    # Generated marshalling code is watched too: a hand edit of the host handlers alone runs the check.
    _git(repo, env, "reset", "-q", "--hard")
    edit_file(repo / HOST, "return 0;\n}", "return 0; // edited\n}")
    _git(repo, env, "add", HOST)
    result = _pre_commit(repo, env, "try-repo", str(hook_repo), "apir-codegen-check")
    out = _output(result)
    assert result.returncode == 1, out
    assert f"stale: {HOST}" in out and "-    return 0; // edited" in out


HOST = "backend/backend-dispatched.marshal.gen.cpp"


@pytest.mark.parametrize("spec_dir", [".", SPEC_DIR])
def test_the_hooks_watch_every_generated_file_and_the_inputs(spec_dir: str) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["apir-codegen-check", "apir-codegen-generate"]
    for hook in hooks:
        files = re.compile(hook["files"])
        watched = [f"{spec_dir}/{rel}".removeprefix("./") for rel in output_paths(load_spec(EXAMPLE_SPEC))]
        watched += [f"{spec_dir}/ggmlremoting_functions.{ext}".removeprefix("./") for ext in ("yaml", "lock")]
        assert len(watched) == 8
        for path in watched:
            assert files.search(path), (hook["id"], path)
        for path in (
            "README.md",
            f"{spec_dir}/backend/backend-dispatched-impl.cpp",
            "src/virtgpu-forward.cpp",
            "other_functions.yaml",
            "ggmlremoting_functions.yaml.orig",
        ):
            assert not files.search(path), (hook["id"], path)
