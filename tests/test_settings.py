"""The config file: reading never raises, problems name file and line, saving keeps a person's
comments and order, and key bindings merge with a front end's defaults."""

from __future__ import annotations

import os
import stat
import tempfile
import textwrap
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import termnews.settings
from termnews.errors import TermnewsError
from termnews.settings import (
    ConfigFileError,
    KeyNameError,
    SavedSearch,
    check_keys,
    config_path,
    load_settings,
    normalize_key,
    normalize_keys,
    remove_search,
    save_search,
)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config file path, set through $TERMNEWS_CONFIG; the file itself is not created."""
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("TERMNEWS_CONFIG", str(path))
    return path


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(text)
    path.write_text(text, encoding="utf-8")
    return text


def only_problem(path: Path) -> str:
    settings = load_settings()
    assert len(settings.problems) == 1, settings.problems
    assert str(path) in settings.problems[0]
    return settings.problems[0]


# --- where the file is ---------------------------------------------------------------------


def test_config_path_is_in_the_user_config_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERMNEWS_CONFIG", raising=False)
    expected = Path(os.environ["XDG_CONFIG_HOME"]) / "termnews" / "config.toml"
    assert config_path() == expected


def test_termnews_config_names_the_file(config: Path) -> None:
    assert config_path() == config
    write(config, '[[searches]]\nname = "Ferries"\nquery = "ferry"\n')
    assert load_settings().searches == (SavedSearch("Ferries", "ferry"),)


# --- reading ---------------------------------------------------------------------------------


def test_missing_file_is_empty_settings_and_no_problem(config: Path) -> None:
    settings = load_settings()
    assert settings.searches == ()
    assert settings.keys == {}
    assert settings.problems == ()
    assert settings.path == config
    assert not config.exists()


def test_the_module_docstring_example_reads_without_problems(config: Path) -> None:
    doc = termnews.settings.__doc__ or ""
    example = doc.split("::\n\n", 1)[1].split("\n\nReading never raises", 1)[0]
    write(config, example)
    settings = load_settings()
    assert settings.problems == ()
    assert [saved.name for saved in settings.searches] == ["Harbour strikes", "Velmora grain"]
    assert settings.keys == {
        "star": ("x",),
        "next_result": ("j", "down"),
        "focus_search": ("question_mark",),
        "help": ("f1",),
    }
    assert settings.search("Velmora grain") == SavedSearch(
        "Velmora grain", "headline:wheat in:velmora"
    )
    assert settings.search("nothing") is None


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[keys]\nstar = 'x'\n[searches\n", 3, 10),
        ("# fine\n\n[[searches]]\nname = 'Quay'\nquery = \"unclosed\n", 5, 18),
        ("[keys]\nstar = 'x'\nstar = 'y'\n", 3, 11),
        ("[[searches]]\nname = 'Quay'\nquery =\n", 3, 8),
    ],
)
def test_broken_toml_is_one_problem_naming_file_and_line(
    config: Path, text: str, line: int, column: int
) -> None:
    write(config, text)
    settings = load_settings()
    assert settings.searches == ()
    assert settings.keys == {}
    assert len(settings.problems) == 1
    problem = settings.problems[0]
    assert problem.startswith(f"{config}, line {line}, column {column}: ")
    assert "none of its settings are used" in problem


def test_broken_toml_at_the_end_of_the_file_names_the_last_line(config: Path) -> None:
    write(config, "[keys]\nstar = 'x'\nhelp = [\n  'f1',\n")
    problem = only_problem(config)
    assert problem.startswith(f"{config}, line 4 (the end of the file): ")


def test_a_file_that_is_not_utf8_is_a_problem_naming_the_line(config: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_bytes(b"# Kestrel Bay\n[[searches]]\nname = 'Caf\xe9'\nquery = 'x'\n")
    problem = only_problem(config)
    assert problem.startswith(f"{config}, line 3: is not UTF-8 text (byte 0xe9)")
    assert load_settings().searches == ()


def test_a_byte_order_mark_is_accepted(config: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_bytes(b"\xef\xbb\xbf[keys]\nstar = 'x'\n")
    assert load_settings().keys == {"star": ("x",)}
    assert load_settings().problems == ()


def test_a_directory_in_place_of_the_file_is_a_problem(config: Path) -> None:
    config.mkdir(parents=True)
    problem = only_problem(config)
    assert problem.startswith(f"{config}: cannot be read (")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_is_a_problem(config: Path) -> None:
    write(config, "[keys]\nstar = 'x'\n")
    config.chmod(0)
    try:
        problem = only_problem(config)
    finally:
        config.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert problem.startswith(f"{config}: cannot be read (permission denied)")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[searches]]\nquery = 'ferry'\n", "[[searches]] entry 2 has no name"),
        ("[[searches]]\nname = 'Tram'\n", "[[searches]] entry 2 ('Tram') has no query"),
        ("[[searches]]\nname = '  '\nquery = 'x'\n", "[[searches]] entry 2 has an empty name"),
        (
            "[[searches]]\nname = 'Tram'\nquery = 42\n",
            "[[searches]] entry 2 ('Tram'): the query must be text in quotes, not the number 42",
        ),
        (
            "[[searches]]\nname = ['a']\nquery = 'x'\n",
            "[[searches]] entry 2: the name must be text in quotes, not a list",
        ),
        (
            "[[searches]]\nname = 'Ferries'\nquery = 'other ferry'\n",
            "[[searches]] entry 2 ('Ferries'): another search before it has this name",
        ),
        (
            "[[searches]]\nname = 'Tram'\nqeury = 'tram'\nquery = 'tram'\n",
            "[[searches]] entry 2 ('Tram'): unknown field 'qeury' (did you mean 'query'?)",
        ),
    ],
)
def test_a_wrong_search_entry_is_a_problem_and_the_others_still_count(
    config: Path, text: str, fragment: str
) -> None:
    write(config, "[[searches]]\nname = 'Ferries'\nquery = 'ferry'\n\n" + text)
    assert only_problem(config).startswith(f"{config}: {fragment}")
    settings = load_settings()
    assert settings.searches[0] == SavedSearch("Ferries", "ferry")
    if "unknown field" in fragment:
        assert settings.searches[1] == SavedSearch("Tram", "tram")
    else:
        assert len(settings.searches) == 1


def test_duplicate_names_keep_the_first(config: Path) -> None:
    write(
        config,
        """\
        [[searches]]
        name = "Ferries"
        query = "ferry"

        [[searches]]
        name = "Ferries"
        query = "boat"
        """,
    )
    settings = load_settings()
    assert settings.searches == (SavedSearch("Ferries", "ferry"),)
    assert settings.problems == (
        f"{config}: [[searches]] entry 2 ('Ferries'): another search before it has this name; "
        "this one is unused",
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("searches = 'ferry'\n", "searches must be [[searches]] tables"),
        ("searches = [1]\n", "[[searches]] entry 1 must be a table"),
        ("[searches]\nname = 'x'\n", "searches must be [[searches]] tables"),
        ("keys = 'x'\n", "keys must be a [keys] table of action = key lines, not the text 'x'"),
        ("[keys]\nstar = 3\n", "[keys] star must be a key in quotes or a list of them"),
        ("[keys]\nstar = ['x', 3]\n", "[keys] star must be a key in quotes or a list of them"),
        ("[keys.article]\nstar = 'x'\n", "[keys] article must be a key in quotes"),
        ("[keys]\nstar = 'hyper+'\n", "[keys] star: 'hyper+' has no key after the modifiers"),
        ("[keys]\nstar = 'cmd+x'\n", "[keys] star: 'cmd' in 'cmd+x' is not one of alt, ctrl"),
        ("[search]\nname = 'x'\n", "unknown setting 'search' (did you mean 'searches'?)"),
    ],
)
def test_a_wrong_shape_is_a_problem_naming_file_and_entry(
    config: Path, text: str, fragment: str
) -> None:
    write(config, text)
    assert only_problem(config).startswith(f"{config}: {fragment}")


def test_a_wrong_key_line_leaves_the_others(config: Path) -> None:
    write(config, "[keys]\nstar = 3\nhelp = ['F1', '?']\nquit = 'Ctrl+Q'\n")
    settings = load_settings()
    assert settings.keys == {"help": ("f1", "question_mark"), "quit": ("ctrl+q",)}
    assert len(settings.problems) == 1


# --- key names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "textual"),
    [
        ("x", "x"),
        ("G", "G"),
        ("7", "7"),
        ("?", "question_mark"),
        ("/", "slash"),
        ("\\", "backslash"),
        ("[", "left_square_bracket"),
        ("-", "minus"),
        ("+", "plus"),
        ("_", "underscore"),
        ("@", "at"),
        (" ", "space"),
        (",", "comma"),
        ("\t", "tab"),
        ("question_mark", "question_mark"),
        ("Space", "space"),
        ("PageDown", "pagedown"),
        ("page-down", "pagedown"),
        ("PgUp", "pageup"),
        ("Esc", "escape"),
        ("Return", "enter"),
        ("F1", "f1"),
        (" ctrl+r ", "ctrl+r"),
        ("Ctrl+R", "ctrl+r"),
        ("CTRL + Shift + Up", "ctrl+shift+up"),
        ("shift+ctrl+up", "ctrl+shift+up"),
        ("ctrl+ctrl+x", "ctrl+x"),
        ("ctrl++", "ctrl+plus"),
        ("alt+?", "alt+question_mark"),
        ("é", "é"),
    ],
)
def test_key_names_become_textual_names(written: str, textual: str) -> None:
    assert normalize_key(written) == textual
    assert normalize_key(textual) == textual


@pytest.mark.parametrize("written", ["", "   ", "ctrl+", "cmd+x", "two words!", "\x00"])
def test_text_that_is_no_key_is_refused(written: str) -> None:
    with pytest.raises(KeyNameError):
        normalize_key(written)


def test_comma_separated_keys_as_in_a_textual_binding() -> None:
    assert normalize_keys("j, Down") == ("j", "down")
    assert normalize_keys(",") == ("comma",)


@given(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn")))
def test_a_character_key_normalises_to_a_fixed_point(character: str) -> None:
    try:
        key = normalize_key(character)
    except KeyNameError:
        return
    assert key == character or key.isidentifier()
    assert normalize_key(key) == key


# --- merging keys with a front end's defaults -------------------------------------------------

DEFAULTS = {
    "star": ("s",),
    "mark_all_read": ("x", "A"),
    "help": ("question_mark", "f1"),
    "quit": ("q",),
    "back": ("escape", "q"),
}


def test_no_user_keys_gives_the_defaults_and_no_problem() -> None:
    assert check_keys({}, DEFAULTS) == (dict(DEFAULTS), [])


def test_a_user_binding_replaces_the_default_keys_of_that_action() -> None:
    effective, problems = check_keys({"help": ("h",), "quit": ()}, DEFAULTS)
    assert effective["help"] == ("h",)
    assert effective["quit"] == ()  # an empty list unbinds
    assert effective["star"] == ("s",)
    assert problems == []


def test_an_unknown_action_is_named_and_ignored() -> None:
    effective, problems = check_keys({"stra": ("z",)}, DEFAULTS)
    assert problems == [
        "keys: there is no action 'stra' (did you mean 'star'?); its keys are ignored"
    ]
    assert effective == dict(DEFAULTS)
    _, problems = check_keys({"zzzz": ("z",)}, DEFAULTS)
    assert problems == ["keys: there is no action 'zzzz'; its keys are ignored"]


def test_a_clash_with_a_default_names_both_bindings_and_the_user_wins() -> None:
    effective, problems = check_keys({"star": ("x",)}, DEFAULTS)
    assert problems == [
        "keys: 'x' is bound to both star (set in config.toml) and mark_all_read (default); "
        "star keeps it"
    ]
    assert effective["star"] == ("x",)
    assert effective["mark_all_read"] == ("A",)


def test_a_default_action_that_loses_every_key_is_said_to() -> None:
    effective, problems = check_keys({"help": ("f",), "star": ("q",)}, DEFAULTS, "my.toml")
    assert effective["quit"] == ()
    assert effective["back"] == ("escape",)
    assert problems == [
        "keys: 'q' is bound to both star (set in my.toml) and quit (default); star keeps it, "
        "so quit has no key now",
        "keys: 'q' is bound to both star (set in my.toml) and back (default); star keeps it",
    ]


def test_two_user_bindings_on_one_key_keep_the_first() -> None:
    effective, problems = check_keys({"star": ("z", "Ctrl+S"), "help": ("z",)}, DEFAULTS)
    assert problems == [
        "keys: 'z' is bound to both star (set in config.toml) and help "
        "(set in config.toml); star keeps it"
    ]
    assert effective["star"] == ("z", "ctrl+s")
    assert effective["help"] == ()


def test_defaults_sharing_a_key_are_left_alone() -> None:
    effective, problems = check_keys({"star": ("S",)}, DEFAULTS)
    assert problems == []
    assert effective["quit"] == ("q",)
    assert effective["back"] == ("escape", "q")


def test_a_bad_key_name_given_directly_is_a_problem_not_an_error() -> None:
    effective, problems = check_keys({"star": ("cmd+s", "t")}, DEFAULTS)
    assert effective["star"] == ("t",)
    assert problems == [
        "keys: star: 'cmd' in 'cmd+s' is not one of alt, ctrl, hyper, meta, shift or super"
    ]


ACTIONS = st.sampled_from([*sorted(DEFAULTS), "unknown"])
KEYS = st.sampled_from(["s", "x", "A", "q", "escape", "f1", "z", "ctrl+s"])


@given(st.dictionaries(ACTIONS, st.lists(KEYS, max_size=3), max_size=4))
def test_a_key_the_user_set_belongs_to_exactly_one_action(user: dict[str, list[str]]) -> None:
    effective, problems = check_keys(user, DEFAULTS)
    assert set(effective) == set(DEFAULTS)
    user_keys = {key for action, keys in user.items() if action in DEFAULTS for key in keys}
    for key in user_keys:
        holders = [action for action, keys in effective.items() if key in keys]
        assert len(holders) == 1, (key, holders)
    for action, keys in effective.items():
        if action not in user:
            assert set(keys) <= set(DEFAULTS[action])
    clashes = [problem for problem in problems if "is bound to both" in problem]
    lost = sum(
        len(set(DEFAULTS[action]) - set(effective[action]))
        for action in DEFAULTS
        if action not in user
    ) + sum(
        len(set(keys)) - len(effective[action])
        for action, keys in user.items()
        if action in DEFAULTS
    )
    assert len(clashes) == lost


# --- saving ------------------------------------------------------------------------------------

HAND_WRITTEN = """\
# termnews settings, kept by hand.
# Searches first, then keys.

[[searches]]
# the morning one
name = "Harbour"   # short on purpose
query = 'harbour OR quay'

[[searches]]
name = "Velmora grain"
query = "headline:wheat in:velmora"

# Keys below.
[keys]
star = "x"   # star the story
help = ["?", "F1"]
"""


def test_save_then_load_round_trip(config: Path) -> None:
    save_search("Ferries", 'ferry "Kestrel Bay" date:2026')
    save_search("Tolls", "toll* NOT bridge")
    assert load_settings().searches == (
        SavedSearch("Ferries", 'ferry "Kestrel Bay" date:2026'),
        SavedSearch("Tolls", "toll* NOT bridge"),
    )
    assert load_settings().problems == ()


def test_save_keeps_comments_blank_lines_and_order(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    save_search("Tolls", "toll* NOT bridge")
    after = config.read_text(encoding="utf-8")
    entry = '[[searches]]\nname = "Tolls"\nquery = "toll* NOT bridge"\n\n'
    assert after == before.replace("# Keys below.", entry + "# Keys below.")
    assert load_settings().keys == {"star": ("x",), "help": ("question_mark", "f1")}


def test_save_into_a_file_without_searches_appends_after_a_blank_line(config: Path) -> None:
    before = write(config, "# mine\n[keys]\nstar = 'x'  # star\n")
    save_search("Tolls", "toll")
    expected = before + '\n[[searches]]\nname = "Tolls"\nquery = "toll"\n'
    assert config.read_text(encoding="utf-8") == expected


def test_save_creates_the_file_and_its_directory(config: Path) -> None:
    save_search("Tolls", "toll")
    assert config.read_text(encoding="utf-8") == '[[searches]]\nname = "Tolls"\nquery = "toll"\n'


def test_save_replaces_the_query_in_place(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    save_search("Harbour", "harbour AND seawall")
    after = config.read_text(encoding="utf-8")
    assert after == before.replace("query = 'harbour OR quay'", 'query = "harbour AND seawall"')
    assert load_settings().search("Harbour") == SavedSearch("Harbour", "harbour AND seawall")


def test_save_replaces_the_first_of_duplicate_names(config: Path) -> None:
    write(
        config,
        "[[searches]]\nname = 'A'\nquery = 'one'\n\n[[searches]]\nname = 'A'\nquery = 'two'\n",
    )
    save_search("A", "three")
    queries = [entry["query"] for entry in tomllib.loads(config.read_text())["searches"]]
    assert queries == ["three", "two"]


def test_save_into_an_inline_array(config: Path) -> None:
    write(config, "searches = [{name = 'A', query = 'one'}]  # compact\n")
    save_search("B", "two\nlines")
    assert config.read_text(encoding="utf-8").endswith("]  # compact\n")
    assert load_settings().searches == (SavedSearch("A", "one"), SavedSearch("B", "two\nlines"))


def test_save_refuses_a_broken_file_and_leaves_it_alone(config: Path) -> None:
    before = write(config, "# mine\n[keys\nstar = 'x'\n")
    with pytest.raises(ConfigFileError) as caught:
        save_search("Tolls", "toll")
    assert isinstance(caught.value, TermnewsError)
    message = str(caught.value)
    assert message.startswith(f"{config}, line 2, column 6: ")
    assert "the search 'Tolls' was not saved and the file is unchanged" in message
    assert config.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    "text",
    [
        "searches = 'ferry'\n",
        "[searches]\nname = 'x'\n",
        # tomlkit would gather the split entries, moving the [keys] table
        "[[searches]]\nname = 'A'\nquery = 'a'\n\n[keys]\nstar = 'x'\n\n"
        "[[searches]]\nname = 'B'\nquery = 'b'\n",
    ],
)
def test_save_refuses_a_shape_it_cannot_edit_faithfully(config: Path, text: str) -> None:
    before = write(config, text)
    with pytest.raises(ConfigFileError, match="the file is unchanged"):
        save_search("Tolls", "toll")
    assert config.read_text(encoding="utf-8") == before


def test_save_refuses_a_blank_name(config: Path) -> None:
    with pytest.raises(ConfigFileError, match="needs a name"):
        save_search("  ", "toll")
    assert not config.exists()


def test_save_keeps_the_file_mode(config: Path) -> None:
    write(config, HAND_WRITTEN)
    config.chmod(0o600)
    save_search("Tolls", "toll")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_save_through_a_symlink_edits_the_target(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "termnews.toml"
    write(target, HAND_WRITTEN)
    config.parent.mkdir(parents=True)
    config.symlink_to(target)
    save_search("Tolls", "toll")
    assert config.is_symlink()
    assert "Tolls" in target.read_text(encoding="utf-8")


def test_remove_search_takes_out_only_that_entry(config: Path) -> None:
    before = write(config, HAND_WRITTEN)
    assert remove_search("Velmora grain") is True
    after = config.read_text(encoding="utf-8")
    removed = '[[searches]]\nname = "Velmora grain"\nquery = "headline:wheat in:velmora"\n\n'
    assert after == before.replace(removed, "")
    assert [saved.name for saved in load_settings().searches] == ["Harbour"]


def test_removing_the_last_search_removes_the_array(config: Path) -> None:
    write(config, "[keys]\nstar = 'x'\n\n[[searches]]\nname = 'A'\nquery = 'a'\n")
    assert remove_search("A") is True
    assert "searches" not in tomllib.loads(config.read_text(encoding="utf-8"))
    assert load_settings().keys == {"star": ("x",)}


def test_removing_a_name_that_is_not_there_touches_nothing(config: Path) -> None:
    assert remove_search("Tolls") is False
    assert not config.exists()
    before = write(config, HAND_WRITTEN)
    assert remove_search("Tolls") is False
    assert config.read_text(encoding="utf-8") == before


def test_remove_refuses_a_broken_file(config: Path) -> None:
    before = write(config, "[[searches]]\nname = 'A'\nquery = 'a\n")
    with pytest.raises(ConfigFileError, match="the search 'A' was not removed"):
        remove_search("A")
    assert config.read_text(encoding="utf-8") == before


NAMES = st.text(min_size=1).filter(lambda name: name.strip())


@given(name=NAMES, query=st.text())
def test_any_saved_search_reads_back_exactly(name: str, query: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(HAND_WRITTEN, encoding="utf-8")
        save_search(name, query, path)
        settings = load_settings(path)
        assert settings.problems == ()
        assert settings.search(name) == SavedSearch(name, query)
        save_search(name, query + "\\'\"\n", path)
        assert load_settings(path).search(name) == SavedSearch(name, query + "\\'\"\n")
        assert remove_search(name, path) is True
        assert load_settings(path).search(name) is None
        if name not in ("Harbour", "Velmora grain"):
            assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_removing_an_entry_keeps_the_comment_above_the_next_one(config: Path) -> None:
    write(
        config,
        """\
        [[searches]]
        name = "A"
        query = "a"

        # B is for boats
        [[searches]]
        name = "B"
        query = "boat"
        """,
    )
    assert remove_search("A") is True
    assert config.read_text(encoding="utf-8") == (
        '# B is for boats\n[[searches]]\nname = "B"\nquery = "boat"\n'
    )


def test_removing_the_only_entry_keeps_the_comment_above_the_next_table(config: Path) -> None:
    write(config, "# mine\n\n[[searches]]\nname = 'A'\nquery = 'a'\n\n# keys\n[keys]\nstar = 'x'\n")
    assert remove_search("A") is True
    assert config.read_text(encoding="utf-8") == "# mine\n\n# keys\n[keys]\nstar = 'x'\n"


def test_removing_the_only_entry_keeps_comments_that_end_the_file(config: Path) -> None:
    write(config, "[keys]\nstar = 'x'\n\n[[searches]]\nname = 'A'\nquery = 'a'\n\n# the end\n")
    assert remove_search("A") is True
    assert config.read_text(encoding="utf-8").endswith("star = 'x'\n\n# the end\n")


COMMENT = st.text("abc xyz", max_size=8).map(lambda text: f"# {text}".rstrip() + "\n")
BLANKS = st.integers(0, 2).map(lambda count: "\n" * count)


@st.composite
def hand_written_files(draw: st.DrawFn) -> str:
    """Files as people write them: comments and blank lines anywhere between entries."""
    parts = [draw(st.lists(COMMENT, max_size=2).map("".join)), draw(BLANKS)]
    for number in range(draw(st.integers(1, 4))):
        parts.append("[[searches]]\n" + draw(st.lists(COMMENT, max_size=1).map("".join)))
        parts.append(
            f"name = 'S{number}'\nquery = 'q{number}'" + draw(st.sampled_from(["", "  # c"]))
        )
        parts.append("\n" + draw(BLANKS) + draw(st.lists(COMMENT, max_size=2).map("".join)))
    if draw(st.booleans()):
        parts.append(draw(BLANKS) + "[keys]\nstar = 'x'\n" + draw(BLANKS))
    return "".join(parts)


@given(hand_written_files())
def test_save_then_remove_gives_back_the_file_as_written(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(text, encoding="utf-8")
        before = load_settings(path)
        save_search("Tolls", "toll", path)
        after = path.read_text(encoding="utf-8")
        assert load_settings(path).searches == (*before.searches, SavedSearch("Tolls", "toll"))
        # Every line the person wrote is still there, in the same order.
        lines = after.splitlines()
        at = lines.index('name = "Tolls"')
        assert lines[at - 1 : at + 2] == ["[[searches]]", 'name = "Tolls"', 'query = "toll"']
        kept = lines[: at - 1] + lines[at + 2 :]
        assert [line for line in kept if line] == [line for line in text.splitlines() if line]
        assert remove_search("Tolls", path) is True
        assert path.read_text(encoding="utf-8") == text


def test_a_default_key_this_module_cannot_spell_is_kept_as_given_and_not_blamed() -> None:
    effective, problems = check_keys({}, {"odd": ("cmd+k", "F2")})
    assert effective == {"odd": ("cmd+k", "f2")}
    assert problems == []


def test_remove_from_an_inline_array(config: Path) -> None:
    write(config, "# compact\nsearches = [{name = 'A', query = 'a'}, {name = 'B', query = 'b'}]\n")
    assert remove_search("A") is True
    assert config.read_text(encoding="utf-8") == (
        "# compact\nsearches = [{name = 'B', query = 'b'}]\n"
    )
    assert remove_search("B") is True
    assert config.read_text(encoding="utf-8") == "# compact\n"
