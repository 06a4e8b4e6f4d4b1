"""The store port: what the rest of the core needs from a database (units of work, row images,
search), and nothing of any particular driver. Implementations live in its sub-packages.
"""
