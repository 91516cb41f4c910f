"""Robustness: crashes, concurrent editors, bad files and environments, fuzzing, security, terminals."""
