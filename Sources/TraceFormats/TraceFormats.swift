// Module TraceFormats: see DESIGN.md. Filled in by its issue.
