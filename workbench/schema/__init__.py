"""What a workbench holds: the file format's identity, the typed model of every table and field, and
the columns of every released schema version. Imports only ``domain``.
"""
