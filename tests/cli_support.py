"""What the CLI tests share: an environment that keeps every file termnews touches under one
temporary folder, never the real user's."""

from __future__ import annotations

import os
from pathlib import Path


def private_env(home: Path) -> dict[str, str]:
    """The current environment with every termnews path under `home`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TERMNEWS_")}
    environment.update(
        {
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "xdg-state"),
            "TERMNEWS_STATE_DIR": str(home / "state"),
            "TERMNEWS_DATA_DIR": str(home / "termnews-data"),
            "TERMNEWS_CONFIG": str(home / "config.toml"),
            "COLUMNS": "100",
        }
    )
    return environment
