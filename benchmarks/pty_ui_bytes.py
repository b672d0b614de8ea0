#!/usr/bin/env python3
"""Counts what the browser writes to a terminal, as an SSH link would carry it.

It runs the real `termnews` in a pty, answers the terminal's queries as a terminal would, and
counts bytes in quiet windows, with what the UI benchmark needs on top:

* `first_frame_s`: launch to the first byte of the first frame, found by a marker string
  that only the drawn screen contains (`--marker`); `ready_s` is launch to `--ready` (the
  status line's count: `N stories` when copies are folded, `N results` when none are),
  i.e. when the list is filled.
* per-step bytes for a fixed key script (`--keys name=bytes,...`), each counted in a window
  that ends when output has been quiet for `--quiet` seconds (idle traffic included);
* `idle_bytes_per_s` over `--idle` seconds with nothing pressed;
* the process's RSS and peak RSS (VmRSS/VmHWM from /proc) after the script.

Usage: pty_ui_bytes.py [--size 80x24] [--env K=V ...] [--keys ...] -- COMMAND...
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

#: CSI and OSC sequences (colours, cursor moves, window titles), to find text on screen.
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
DEFAULT_KEYS = "down=\\x1b[B,open=\\r,page=\\x20,back=\\x1b,end=G,repaint=,search=/,type=council"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--keys", default=DEFAULT_KEYS)
    parser.add_argument("--marker", default="Search:", help="text only the first frame has")
    parser.add_argument(
        "--ready", default="stories|results", help="text that means the list is full (a|b: either)"
    )
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--idle", type=float, default=3.0)
    parser.add_argument("--quiet", type=float, default=0.4)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.cmd and args.cmd[0] == "--":
        args.cmd = args.cmd[1:]
    if not args.cmd:
        parser.error("no command given")
    return args


class Terminal:
    """A child process on a pty, with byte counting and terminal-query answers."""

    def __init__(self, cmd: list[str], cols: int, rows: int, env: list[str]) -> None:
        self.cols, self.rows = cols, rows
        self.started = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            for item in env:
                key, value = item.split("=", 1)
                os.environ[key] = value
            os.environ.setdefault("TERM", "xterm-256color")
            os.execvp(cmd[0], cmd)
        self.pid, self.fd = pid, fd
        self.resize(cols, rows)
        self.buffer = bytearray()  # only kept until the markers are seen

    def resize(self, cols: int, rows: int) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def _read(self, timeout: float) -> bytes | None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return None
        if not chunk:
            return None
        if b"\x1b[6n" in chunk:
            os.write(self.fd, b"\x1b[1;1R")
        if b"\x1b[c" in chunk:
            os.write(self.fd, b"\x1b[?62;22c")
        return chunk

    def wait_for(self, marker: bytes, timeout: float) -> float | None:
        """Seconds since launch when `marker` (or one of its `|`-separated alternatives)
        first appeared on screen, or None.

        The text is matched with escape sequences taken out: a styled letter inside the
        marker (the cursor sitting on the first letter of a focused input's placeholder)
        splits it in the raw bytes. Output already read counts too.
        """
        deadline = time.monotonic() + timeout
        chunk: bytes | None = b"?"  # look at what is already buffered first
        while time.monotonic() < deadline:
            if chunk:
                shown = _ESCAPES.sub(b"", self.buffer)
                if any(alternative in shown for alternative in marker.split(b"|")):
                    return time.monotonic() - self.started
            chunk = self._read(0.01)
            if chunk is None:
                return None
            self.buffer += chunk
        return None

    def count_until_quiet(self, quiet: float, limit: float = 5.0) -> int:
        """Bytes written until nothing arrives for `quiet` seconds (at most `limit`)."""
        total, start, last = 0, time.monotonic(), time.monotonic()
        while time.monotonic() - start < limit:
            chunk = self._read(0.01)
            if chunk is None:
                break
            if chunk:
                total += len(chunk)
                last = time.monotonic()
            elif time.monotonic() - last >= quiet:
                break
        return total

    def count_for(self, seconds: float) -> int:
        total, start = 0, time.monotonic()
        while time.monotonic() - start < seconds:
            chunk = self._read(0.02)
            if chunk is None:
                break
            total += len(chunk)
        return total

    def memory_kb(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak) of the child, in kB, from /proc."""
        values: dict[str, int] = {}
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
                for line in status:
                    key, _, rest = line.partition(":")
                    if key in ("VmRSS", "VmHWM"):
                        values[key] = int(rest.split()[0])
        except OSError:
            pass
        return values

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x11")  # ctrl+q
            self.count_for(0.3)
            os.kill(self.pid, signal.SIGTERM)
        except (OSError, ProcessLookupError):
            pass
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    cols, rows = map(int, args.size.split("x"))
    steps = [
        (name, value.encode().decode("unicode_escape").encode("latin-1"))
        for name, value in (item.split("=", 1) for item in args.keys.split(",") if item)
    ]
    term = Terminal(args.cmd, cols, rows, args.env)
    out: dict[str, object] = {"size": args.size}
    try:
        out["first_frame_s"] = term.wait_for(args.marker.encode(), args.timeout)
        out["ready_s"] = term.wait_for(args.ready.encode(), args.timeout) if args.ready else None
        term.buffer.clear()
        term.count_until_quiet(args.quiet)
        out["idle_bytes_per_s"] = round(term.count_for(args.idle) / args.idle, 1)
        for name, data in steps:
            if name == "repaint":  # a full repaint, forced by a resize there and back
                term.resize(cols + 1, rows)
                term.count_until_quiet(args.quiet)
                term.resize(cols, rows)
                out["repaint_bytes"] = term.count_until_quiet(args.quiet)
                continue
            if name == "type":
                total = 0
                for byte in data:
                    os.write(term.fd, bytes([byte]))
                    total += term.count_until_quiet(args.quiet)
                out["type_bytes_per_key"] = round(total / max(1, len(data)))
                continue
            os.write(term.fd, data)
            out[f"{name}_bytes"] = term.count_until_quiet(args.quiet)
        memory = term.memory_kb()
        out["rss_mb"] = round(memory.get("VmRSS", 0) / 1024, 1)
        out["peak_rss_mb"] = round(memory.get("VmHWM", 0) / 1024, 1)
    finally:
        term.close()
    out["note"] = f"each step counts bytes until {args.quiet}s of quiet, idle traffic included"
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
