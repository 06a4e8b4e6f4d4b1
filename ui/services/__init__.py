"""What every part of the window shares and none of them draws: the controller between widgets and
the core, settings, icons, background work.
"""
