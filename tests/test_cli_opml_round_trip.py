"""`feeds export` then `feeds import` with the real `termnews`: every feed comes back with its
name (or none), its tags and its fulltext setting, and exporting again gives the same bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cli_support import private_env

TERMNEWS = Path(sys.executable).with_name("termnews")


def run(*args: str, env: dict[str, str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(TERMNEWS), *args], capture_output=True, env=env, input=stdin, timeout=60, check=False
    )
    assert b"Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return result


def feeds_of(env: dict[str, str]) -> list[dict[str, object]]:
    listed = run("feeds", "list", "--json", env=env).stdout.decode("utf-8").splitlines()
    kept = ("url", "name", "tags", "fulltext")
    return sorted(
        ({key: feed[key] for key in kept} for feed in map(json.loads, listed)),
        key=lambda feed: str(feed["url"]),
    )


def test_export_and_import_keep_names_tags_and_fulltext_byte_for_byte(tmp_path: Path) -> None:
    env = private_env(tmp_path / "one")
    base = "http://127.0.0.1:8304"
    run("feeds", "add", f"{base}/a.xml", "--name", "Harbour Beacon", "--tag", "coast",
        "--tag", "shipping/ports", "--fulltext", "always", env=env)  # fmt: skip
    run("feeds", "add", f"{base}/b.xml", "--fulltext", "never", env=env)
    run("feeds", "add", f"{base}/c.xml", "--name", 'Île "Côtière" & <Co>', "--tag", "coast",
        env=env)  # fmt: skip
    run("feeds", "add", f"{base}/d.xml", "--name", "Orvelle Gazette", "--tag", "inland",
        "--fulltext", "never", env=env)  # fmt: skip
    exported = run("feeds", "export", env=env).stdout
    assert b'termnews:fulltext="always"' in exported

    other = private_env(tmp_path / "two")
    imported = run("feeds", "import", "-", env=other, stdin=exported)
    assert imported.stdout.startswith(b"imported 4 feeds;")
    assert feeds_of(other) == feeds_of(env)
    assert run("feeds", "export", env=other).stdout == exported


def test_fulltext_is_read_under_another_prefix_and_a_bad_one_is_noted(tmp_path: Path) -> None:
    env = private_env(tmp_path)
    document = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0" xmlns:tn="urn:termnews:opml"><body>
  <outline text="Renamed prefix" xmlUrl="http://127.0.0.1:8305/a.xml" tn:fulltext="Never"/>
  <outline text="Wobbly" xmlUrl="http://127.0.0.1:8305/b.xml" tn:fulltext="sometimes"/>
  <outline text="Other reader" xmlUrl="http://127.0.0.1:8305/c.xml"/>
</body></opml>
"""
    imported = run("feeds", "import", "-", env=env, stdin=document)
    assert b"'sometimes' is not one of auto, always, never" in imported.stderr
    assert [feed["fulltext"] for feed in feeds_of(env)] == ["never", "auto", "auto"]
