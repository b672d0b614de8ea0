"""The parser is core: importing it must never pull in Textual (or Whoosh)."""

from __future__ import annotations

import subprocess
import sys


def test_parsing_does_not_import_textual_or_whoosh() -> None:
    code = (
        "import sys, termnews.parsing, termnews.commands.parse, termnews.cli;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'whoosh')];"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
