"""The panels beside the editor: the navigator, search, and the problems list."""
