"""Only `termnews.tui` may import Textual: the CLI's other commands must start without it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "termnews"
IMPORT_TEXTUAL = re.compile(r"^\s*(from\s+textual\b|import\s+textual\b)", re.MULTILINE)


def test_core_modules_do_not_load_textual() -> None:
    code = (
        "import sys, termnews.engine.searcher, termnews.cli, termnews.parsing\n"
        "import termnews.engine.store\n"
        "import termnews.cli as cli\n"
        "cli.build_parser()\n"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


def test_no_textual_imports_outside_tui() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "tui" not in path.relative_to(SRC).parts
        and IMPORT_TEXTUAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_browse_command_imports_textual_lazily() -> None:
    text = (SRC / "commands" / "browse.py").read_text(encoding="utf-8")
    top_level = text.split("\ndef run(", 1)[0]
    assert "termnews.tui" not in top_level and "textual" not in top_level
