"""Reading state: what a person has read, starred and tagged, kept apart from the archive
and the index because it is the one thing that cannot be rebuilt. `store` keeps it in SQLite,
`records` moves it in and out as plain text, `tags` says what a tag may be called."""
