"""The query language: text -> a Whoosh query, its `date:` ranges, and the internal form."""
