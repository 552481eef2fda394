"""Printable documents built with ReportLab, in memory (ARCHITECTURE.md §6).

Nothing in here imports Qt: the UI prints or saves the returned bytes; saving goes only to a path
the worker chose.
"""
