"""Sciatica Tracker's domain: value types, events, the journal aggregate and the service.

Imports no Qt and nothing from ``projections`` or ``desktop``.
"""

__version__ = "0.1.0"
