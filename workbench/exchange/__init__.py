"""Moving a workbench in and out: JSON interchange, merging another workbench, the hand-off copy
for a client, the sample content.
"""
