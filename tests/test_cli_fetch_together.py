"""Two `termnews fetch` runs at the same moment (a cron job and a person, say) on one archive."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Response

from test_cli_fetch import TERMNEWS, environment, rss, termnews

STORIES = 9


def test_two_fetches_at_once_write_each_story_once_and_index_it(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda _request: Response(rss(STORIES), content_type="application/rss+xml")
    )
    env = environment(tmp_path, httpserver.url_for("/feed.xml"))

    runs = [
        subprocess.Popen(
            [str(TERMNEWS), "fetch", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outcomes = [run.communicate(timeout=120) for run in runs]

    for run, (_, stderr) in zip(runs, outcomes, strict=True):
        assert run.returncode == 0, stderr
        assert "Traceback" not in stderr
    written = sorted((tmp_path / "termnews-data" / "news" / "feeds").rglob("*.txt"))
    assert len(written) == STORIES
    assert not list((tmp_path / "termnews-data" / "news").rglob("*.tmp*"))
    counted = termnews("count", "--json", "tag:coast", env=env)
    assert json.loads(counted.stdout)["total"] == STORIES
    again = termnews("fetch", env=env)
    assert again.returncode == 0, again.stderr
    assert "0 new stories" in again.stdout
