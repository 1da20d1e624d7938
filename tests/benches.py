"""Load a script of ``bench/`` as a module, for the tests that keep the benches working."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_bench(name: str, file: str) -> ModuleType:
    """Import ``bench/<file>`` as module ``name`` (registered in ``sys.modules``, where
    dataclasses and the benches' imports of each other look modules up)."""
    spec = importlib.util.spec_from_file_location(name, BENCH / file)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
