// Module Simulation: see DESIGN.md. Filled in by its issue.
