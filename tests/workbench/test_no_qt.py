"""The core must never import Qt (STYLE.md practice 1) — nor load reportlab at start-up."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import workbench

ROOT = Path(__file__).resolve().parents[2]


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(workbench.__path__, "workbench."))


def test_every_core_module_imports_with_qt_blocked() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):\n"
        "            raise ImportError('Qt is not allowed in the core: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import importlib\n"
        f"for name in {_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_opening_a_workbench_does_not_load_heavy_modules(sample_path: Path) -> None:
    code = (
        "import sys\n"
        "from workbench.session import Workbench\n"
        f"wb = Workbench.open({str(sample_path)!r}, readonly=True)\n"
        "wb.coverage(); wb.persona_summaries(); wb.close()\n"
        "print(','.join(m for m in ('reportlab', 'markdown', 'PySide6') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
