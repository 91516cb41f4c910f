"""The terminal front: the `jixiao` command and the Textual app. The only layer that imports Textual."""
