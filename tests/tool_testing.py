"""Loads the scripts of `tools/` as modules, for the tests of the tools."""

import importlib.util
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def load_tool(script, name):
    """Imports `tools/<script>` as the module `name` (registered in
    `sys.modules`, which dataclasses and pickling need)."""
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
