"""Dated policy parameter sets (TOML), read by matcher.rules.policy."""
