"""The vocabulary of the product as plain Python: values that cross into the UI, typed errors, lingo,
markup and image rules. Imports nothing else of the core, no database and no Qt.
"""
