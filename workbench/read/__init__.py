"""Reading a workbench: queries that turn rows into the frozen values of ``domain.values``; nothing
here writes.
"""
