"""The report domain: model, parsing, scoring, checks and Markdown rendering. Pure Python, no I/O."""
