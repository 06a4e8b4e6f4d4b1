"""The application and its main window: start-up, menus, opening and closing files, the File and
Edit flows, the dialogs those flows ask.
"""
