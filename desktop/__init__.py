"""Sciatica Tracker's front ends: the desktop app (PySide6) and the ``sciatica`` command line.

Importing this package imports no Qt, so the headless commands start fast and run anywhere.
"""
