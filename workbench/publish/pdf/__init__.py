"""The PDF writer of the playbook (reportlab, imported only when a playbook is exported)."""
