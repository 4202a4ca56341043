"""apir-codegen: generate ggml-virtgpu's API-remoting headers from a YAML spec."""

from __future__ import annotations

from .diagnostics import Diagnostic, Location, SpecError
from .model import OUTPUT_FILES, Command, Function, Group, NamingPatterns, Spec
from .pipeline import check_spec, load_spec, render

__version__ = "0.1.0"

__all__ = [
    "OUTPUT_FILES",
    "Command",
    "Diagnostic",
    "Function",
    "Group",
    "Location",
    "NamingPatterns",
    "Spec",
    "SpecError",
    "__version__",
    "check_spec",
    "load_spec",
    "render",
]
