"""Rules in the app: cost-sharing norm, logeer agreement, landlord consent, stay clock, priority.

The rules themselves live in the pure :mod:`matcher.rules`; this package loads rows,
turns them into the pure dataclasses, and maps rule errors to the app's errors.
"""
