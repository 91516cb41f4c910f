"""The guided flow as data: templates (TOML) and a headless engine that asks their steps."""
