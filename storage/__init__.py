"""SQLite persistence through sqlite-utils: schema, migrations, revisions; returns report/ objects."""
