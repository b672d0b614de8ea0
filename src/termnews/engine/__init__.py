"""The search engine: the only package that imports Whoosh.

- `whoosh_adapter`: every private Whoosh name the engine relies on, and nothing else; on a
  Whoosh upgrade this is the one file to audit (its tests pin what 2.7.5 does).
- `store`: where an index lives, its version, its write lock.
- `schema`: the Whoosh schema and Article -> index document.
- `sync/`: the sync plan (what changed) and the writers (in process, worker processes).
- `storage/`: the posting codec and the posting lists read from it as arrays.
- `query/`: the query language, its dates, and the internal form the rest consume.
- `matching/`: exact match sets and phrases.
- `ranking`, `highlight`, `complete`, `suggest`: scores, snippets, typeahead, "did you mean".
- `lexicon`: each field's term list in memory, which `complete` and `suggest` read.
- `filters`: state filters (`is:unread`, `tag:x`) as docnums, read through `StateView`, a
  protocol the state store meets without the engine importing it.
- `rows`, `stories`: result rows with their snippets; whole stories by path.
- `generation`: one index generation's reader and everything built from it.
- `searcher`: the Searcher, the one object front ends hold.
- `lru`, `vector`: the one LRU cache helper; numpy, loaded only where it pays.

Nothing is imported here, so `import termnews.engine.store` stays cheap.
"""
