// Module Recording: see DESIGN.md. Filled in by its issue.
