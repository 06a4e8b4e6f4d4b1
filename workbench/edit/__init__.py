"""Changing a workbench: every edit as a command run in one unit of work, the change records undo
restores, and the derived data kept in step with each command.
"""
