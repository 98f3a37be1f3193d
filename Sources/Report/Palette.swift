/// Colours of the report. Task prefixes cycle through a categorical palette without pure reds,
/// because transfers are drawn red (as in Dask's dashboard).
enum Palette {
    static let prefixes = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
        "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5", "#dbdb8d",
        "#393b79", "#637939", "#8c6d31", "#7b4173",
    ]
    static let transfer = "#d62728"
    /// Scheduler states in the progress picture, in the order of `RunSeries.states`.
    static let states = [
        "forgotten": "#c7c7c7", "memory": "#2ca02c", "processing": "#1f77b4", "queued": "#9edae5",
        "no-worker": "#ff7f0e", "waiting": "#bcbd22", "erred": "#000000", "released": "#e0e0e0",
    ]
    /// Sequential ramp for heat maps, light to dark.
    static let heat = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]

    static func prefix(_ index: Int) -> String { prefixes[index % prefixes.count] }
}
