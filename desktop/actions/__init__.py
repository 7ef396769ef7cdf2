"""Window-level actions (File menu items that act on the whole journal): sharing and reports.

They live outside ``views/`` and reach the window only through ``host.WindowHost``, so
neither the window nor a view imports them back (no import circle).
"""
