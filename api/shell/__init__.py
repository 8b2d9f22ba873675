"""The application shell: app assembly, CLI, demo loading, overview, backups and retention jobs.

No domain package imports from here; this package imports them all.
"""
