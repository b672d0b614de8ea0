"""The engine's one LRU: bounded by count or by weight, forgetting the least recently used."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from termnews.engine.lru import LRU


def test_a_count_bound_forgets_the_least_recently_used() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("harbour", 1)
    cache.put("ferry", 2)
    assert cache.get("harbour") == 1  # now the most recent
    cache.put("seawall", 3)

    assert "ferry" not in cache
    assert (cache.get("harbour"), cache.get("seawall"), len(cache)) == (1, 3, 2)


def test_peek_does_not_count_as_a_use() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("harbour", 1)
    cache.put("ferry", 2)
    assert cache.peek("harbour") == 1
    cache.put("seawall", 3)

    assert "harbour" not in cache and cache.peek("ferry") == 2


def test_a_weight_bound_counts_each_value_by_its_weight() -> None:
    cache: LRU[str, list[int]] = LRU(5, len)
    cache.put("common", [1, 2, 3, 4])
    cache.put("rare", [7])
    assert cache.held == 5
    cache.put("another", [8])

    assert "common" not in cache and cache.held == 2


def test_replacing_a_value_reweighs_it() -> None:
    cache: LRU[str, list[int]] = LRU(10, len)
    cache.put("council", [1, 2, 3])
    cache.put("council", [1])

    assert cache.held == 1 and len(cache) == 1 and cache.get("council") == [1]


def test_the_newest_entry_stays_even_alone_past_the_limit() -> None:
    cache: LRU[str, list[int]] = LRU(3, len)
    cache.put("small", [1])
    cache.put("huge", list(range(10)))

    assert "small" not in cache and cache.get("huge") == list(range(10))
    assert cache.held == 10


def test_a_missing_key_is_none() -> None:
    assert LRU[str, int](4).get("nowhere") is None


operations = st.lists(
    st.tuples(
        st.sampled_from(["put", "get", "peek"]),
        st.integers(0, 6),
        st.integers(1, 5),
    ),
    max_size=60,
)


@given(operations, st.integers(1, 12))
def test_it_behaves_like_a_list_in_order_of_use(
    ops: list[tuple[str, int, int]], limit: int
) -> None:
    """A reference model: keys in order of last use, oldest dropped while over the limit."""
    cache: LRU[int, int] = LRU(limit, lambda weight: weight)
    model: list[tuple[int, int]] = []  # (key, weight), least recently used first
    for op, key, weight in ops:
        found = next((entry for entry in model if entry[0] == key), None)
        if op == "put":
            cache.put(key, weight)
            if found:
                model.remove(found)
            model.append((key, weight))
            while sum(w for _k, w in model) > limit and len(model) > 1:
                model.pop(0)
        elif op == "get":
            assert cache.get(key) == (found[1] if found else None)
            if found:
                model.remove(found)
                model.append(found)
        else:
            assert cache.peek(key) == (found[1] if found else None)
        assert len(cache) == len(model)
        assert cache.held == sum(w for _k, w in model)
    assert all(key in cache for key, _w in model)
