"""Benchmarks of Sciatica Tracker (``python -m benchmarks``; see docs/performance.md).

``benchmarks.generate`` writes a realistic multi-year journal as interchange JSON lines;
``benchmarks.__main__`` measures every figure side by side with its floor.
"""
