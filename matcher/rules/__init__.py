"""Rules engine: dated policy, cost-sharing norm, logeer rules, stay clock, priority, calendar.

Pure domain code (no web, no database): callers pass plain dataclasses and a
:class:`~matcher.rules.policy.PolicyBook`; every amount or period comes from a dated
parameter set in ``seed_data/policy`` or a municipality override. See
``matcher/rules/README-section.md`` for the rules and their sources.
"""
