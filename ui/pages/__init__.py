"""The pages of the editor stack: one editor (or view) per module — persona, message, lingo,
objections, channels, narrative, coverage.
"""
