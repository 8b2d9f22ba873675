"""Printable documents: the shared PDF renderer and the logeer agreement."""
