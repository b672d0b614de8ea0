"""The Reuters-21578 converter, on a tiny SGML file invented here (places and people are fiction).

No test reads the real collection: the converter must work for anyone who downloads it, and
its text may not enter the repository.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from bench_support import load_benchmark
from termnews.parsing import parse_file

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"

SGML = """<REUTERS NEWID="7">
<DATE>12-FEB-1987 09:30:45.20</DATE>
<TEXT>&#2;
<TITLE>VELMARA WOOL CLIP REVIEW</TITLE>
<AUTHOR>    By Tamsin Orrel, Reuters</AUTHOR>
<DATELINE>    Quorvale, Feb 12 - </DATELINE><BODY>Late frosts slowed shearing across
the Velmara uplands this week, the Brantmoor
Growers Guild said in its monthly note.
    Bales offered fell to 8,410 &amp; bids held at 212
marks &lt;per bale>.
    The guild said sales\x01 would pick up by spring.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS NEWID="12">
<DATE> 2-MAR-1987 09:15:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
<TITLE>DUNMERE &lt;DNMR> SETS BRIEF ONLY</TITLE>
</TEXT>
</REUTERS>
<REUTERS NEWID="9">
<DATE> 3-MAR-1987 11:40:12.00</DATE>
<TEXT>&#2;
<TITLE>ASHBY HOLM CORP &lt;ASHM> 4TH QTR NET</TITLE>
<DATELINE>    NEW HARLOW, Conn., March 3 - </DATELINE><BODY>Shr 37 cts vs 61 cts
    Net 1,340,000 vs 1,610,000
    Revs 13.7 mln vs 12.2 mln
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""


@pytest.fixture(scope="module")
def r2w() -> ModuleType:
    return _load("reuters_to_wire")


def _load(name: str) -> ModuleType:
    return load_benchmark(name)


@pytest.fixture()
def sgml(tmp_path: Path) -> Path:
    path = tmp_path / "sgml" / "reut2-900.sgm"
    path.parent.mkdir()
    # One stray byte outside ASCII, as the real files have: only Latin-1 reads every byte.
    path.write_bytes(SGML.replace("Brantmoor", "Brantm\xf6or").encode("latin-1"))
    return path


def test_one_story_per_element_with_a_body(r2w: ModuleType, sgml: Path, tmp_path: Path) -> None:
    written = r2w.convert([sgml.parent], tmp_path / "out")
    assert [path.name for path in written] == ["reut-00007.txt", "reut-00009.txt"]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "reut-00007.txt",
        "reut-00009.txt",
    ]  # no temporary files left behind


def test_layout(r2w: ModuleType, sgml: Path, tmp_path: Path) -> None:
    r2w.convert([sgml], tmp_path / "out")
    text = (tmp_path / "out" / "reut-00007.txt").read_text(encoding="utf-8")
    assert text == (
        "February 12, 1987 09:30\n\n"
        "VELMARA WOOL CLIP REVIEW\n\n"
        "By Tamsin Orrel, Reuters\n\n"
        "Quorvale, Feb 12 - Late frosts slowed shearing across\n"
        "the Velmara uplands this week, the Brantmöor\n"
        "Growers Guild said in its monthly note.\n\n"
        "Bales offered fell to 8,410 & bids held at 212\n"
        "marks <per bale>.\n\n"
        "The guild said sales would pick up by spring.\n\n"
        "Reuter\n"
    )


def test_converted_stories_parse_into_the_right_fields(
    r2w: ModuleType, sgml: Path, tmp_path: Path
) -> None:
    r2w.convert([sgml], tmp_path / "out")
    wool = parse_file(tmp_path / "out" / "reut-00007.txt")
    assert wool.headline == "VELMARA WOOL CLIP REVIEW"
    assert wool.authors == ("Tamsin Orrel",)
    assert wool.agency == "Reuters"
    assert wool.published == "1987-02-12"
    assert wool.site_date == "1987-02-12T09:30:00"
    assert wool.dateline == "Quorvale"
    assert wool.body.split("\n\n")[0] == (
        "Late frosts slowed shearing across the Velmara uplands this week, "
        "the Brantmöor Growers Guild said in its monthly note."
    )
    assert "Reuter" not in wool.body
    assert wool.notes == ("Reuter",)

    results = parse_file(tmp_path / "out" / "reut-00009.txt")
    assert results.headline == "ASHBY HOLM CORP <ASHM> 4TH QTR NET"
    assert results.authors == ()
    assert results.dateline == "NEW HARLOW, Conn."
    assert results.published == "1987-03-03"
    assert results.body.split("\n\n") == [
        "Shr 37 cts vs 61 cts",
        "Net 1,340,000 vs 1,610,000",
        "Revs 13.7 mln vs 12.2 mln",
    ]


def test_same_input_same_bytes_and_limit(r2w: ModuleType, sgml: Path, tmp_path: Path) -> None:
    first = r2w.convert([sgml], tmp_path / "a")
    second = r2w.convert([sgml], tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.name for p in r2w.convert([sgml], tmp_path / "c", limit=1)] == ["reut-00007.txt"]


def test_command_line(r2w: ModuleType, sgml: Path, tmp_path: Path, capsys) -> None:
    assert r2w.main([str(sgml.parent), str(tmp_path / "out"), "--limit", "5"]) == 0
    assert "wrote 2 stories" in capsys.readouterr().out
    assert r2w.main([str(tmp_path / "missing"), str(tmp_path / "out")]) == 2


def test_score_reuters_reports_every_field(sgml: Path, capsys) -> None:
    score = _load("score_reuters")
    assert score.main([str(sgml), "-v"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["stories"] == 2
    assert report["parse_errors"] == 0
    assert {name: field["hits"] for name, field in report["fields"].items()} == {
        "headline": 2,
        "authors": 2,
        "published": 2,
        "dateline": 2,
        "first_paragraph": 2,
    }


@pytest.mark.parametrize(
    ("dateline", "place", "rest"),
    [
        ("Quorvale, Feb 12 -", "Quorvale", ""),
        ("NEW HARLOW, Conn., MArch 3 -", "NEW HARLOW, Conn.", ""),
        ("BRISK HOLLOW, Md., - March 4 -", "BRISK HOLLOW, Md.", ""),
        ("ORLAN FALLS, March 12, Reuter -", "ORLAN FALLS", ""),
        ("HAVERTON, 2 March - Group net -", "HAVERTON", "Group net -"),
        ("DUNMERE, N.J. -", "DUNMERE, N.J.", ""),
    ],
)
def test_the_scorer_reads_the_collection_s_own_dateline(
    dateline: str, place: str, rest: str
) -> None:
    score = _load("score_reuters")
    found_place, _, found_rest = score.split_dateline(dateline)
    assert (found_place, found_rest) == (place, rest)
