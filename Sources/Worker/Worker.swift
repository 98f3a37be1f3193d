// Module Worker: see DESIGN.md. Filled in by its issue.
