"""One module per chapter (or family of chapters): what its code cell calls.

May import: every stage below the book and the rest of :mod:`analysis.book`.
"""
