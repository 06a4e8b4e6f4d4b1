"""The offline HTML playbook: one self-contained file a rep opens on a phone (no request of any kind).

:mod:`blocks` turns markdown blocks into escaped HTML (also usable by the app's preview),
:mod:`styles` holds the page's one stylesheet, :mod:`page` lays out the content model and
:mod:`export` writes the file atomically.
"""
