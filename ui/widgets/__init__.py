"""Widgets the pages are built from: fields, lists, images, previews, choosers, history."""
