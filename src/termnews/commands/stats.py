"""What `termnews search --stats` prints: a query's timeline as a sparkline, and its facets.

The sparkline is made of block glyphs (`▁` to `█`), never of colour, so it reads the same in
a pipe, under NO_COLOR and on any terminal; an empty bucket is a space, so a gap shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from termnews.engine.context import Context, Facet, Timeline

BARS = "▁▂▃▄▅▆▇█"
#: How each bucket size is said after "one bar a".
BUCKET_WORDS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def sparkline(counts: tuple[int, ...] | list[int]) -> str:
    """One glyph a count: the highest count `█`, any other non-zero one at least `▁`."""
    highest = max(counts, default=0)
    if not highest:
        return " " * len(counts)
    levels = len(BARS)
    return "".join(
        " " if not count else BARS[-(-count * levels // highest) - 1] for count in counts
    )


def span_line(timeline: Timeline, total: int) -> str:
    """`2,118 stories, 2024-01-03 to 2024-03-28, one bar a week (13)`."""
    noun = "story" if total == 1 else "stories"
    if timeline.first is None or timeline.last is None:
        return f"{total:,} {noun}"
    bars = len(timeline.counts)
    return (
        f"{total:,} {noun}, {timeline.first.isoformat()} to {timeline.last.isoformat()}, "
        f"one bar a {BUCKET_WORDS[timeline.bucket]} ({bars})"
    )


def axis_line(timeline: Timeline) -> str:
    """The first and last bucket's start under the sparkline's two ends."""
    if not timeline.starts:
        return ""
    first = _bucket_label(timeline.bucket, timeline.starts[0].isoformat())
    last = _bucket_label(timeline.bucket, timeline.starts[-1].isoformat())
    width = len(timeline.counts)
    if width < len(first) + len(last) + 1:
        return f"{first} … {last}" if first != last else first
    return first + " " * (width - len(first) - len(last)) + last


def _bucket_label(bucket: str, iso: str) -> str:
    return {"year": iso[:4], "month": iso[:7]}.get(bucket, iso)


def stats_text(context: Context) -> str:
    """The whole `--stats` report as plain text."""
    timeline, facets = context.timeline, context.facets
    lines = [span_line(timeline, context.total)]
    if timeline.counts:
        lines += [sparkline(timeline.counts), axis_line(timeline)]
    for title, found in (
        ("Agencies", facets.agencies),
        ("Datelines", facets.datelines),
        ("Authors", facets.authors),
    ):
        lines += ["", title]
        lines += _facet_lines(found) or ["  (none)"]
    return "\n".join(lines) + "\n"


def _facet_lines(found: tuple[Facet, ...]) -> list[str]:
    width = max((len(f"{facet.count:,}") for facet in found), default=0)
    return [f"  {facet.count:>{width},}  {facet.value}" for facet in found]


def stats_record(context: Context) -> dict[str, Any]:
    """The `--stats --json` object."""
    timeline = context.timeline
    return {
        "query": context.query,
        "total": context.total,
        "timeline": {
            "bucket": timeline.bucket,
            "first": timeline.first.isoformat() if timeline.first else None,
            "last": timeline.last.isoformat() if timeline.last else None,
            "buckets": [
                {"start": start.isoformat(), "count": count}
                for start, count in zip(timeline.starts, timeline.counts, strict=True)
            ],
        },
        "facets": {
            name: [{"value": facet.value, "count": facet.count} for facet in found]
            for name, found in (
                ("agencies", context.facets.agencies),
                ("datelines", context.facets.datelines),
                ("authors", context.facets.authors),
            )
        },
    }
