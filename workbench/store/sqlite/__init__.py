"""The ``.workbench`` file: hardened SQLite connections, the file's lifecycle (lock, working copy,
write-back), FTS5 search, migrations. The only place that imports ``sqlite3`` or runs a PRAGMA.
"""
