"""App shell text: names, navigation, URL notes."""

STRINGS: dict[str, str] = {
    # --- app shell ---
    "app.name": "Epoch & Batch Lab",
    "nav.calculator": "Epochs & batches",
    "nav.exam": "Exam analogy",
    "nav.tradeoffs": "Batch size trade-offs",
    "nav.batchnorm": "BatchNorm & the last batch",
    "nav.epochs": "Epochs & early stopping",
    "nav.section.lab": "The lesson",
    "shell.about": "Move the sliders and watch real PyTorch react. Every number follows what "
    "PyTorch and Keras really do.",
    # --- URL state ---
    "url.ignored": "The link's value {value} for **{key}** was ignored (expected {expected}); "
    "the default is used instead.",
    "url.swapped": "The link's **{low_key}** ({low}) was larger than its **{high_key}** ({high}): the two "
    "were swapped, so the page uses {low_key} = {high} and {high_key} = {low}.",
    "nav.not_found.title": "Page not found",
    "nav.not_found.body": "The app has no page at {path}: the link may be mistyped or out of date. "
    "Choose a page below or in the sidebar.",
    "url.expect_int": "a whole number from {low} to {high}",
    "url.expect_bool": "true or false",
    "url.expect_choice": "one of: {options}",
    "url.share_title": "Share these settings",
    "url.share_help": "This link opens the page on exactly these settings. Copy it with the button "
    "at the right of the box.",
    # --- downloads ---
    "csv.download": "Download the data (CSV)",
    "csv.download.help": "This run's numbers as a table, to open in a spreadsheet or pandas.",
    # --- presentation mode ---
    "present.switch": "Presentation mode",
    "present.switch.help": "Larger text for projecting, explanations folded away. "
    "Links keep it: add ?present=1 to any page's address.",
    "present.explain": "Explain",
    "present.answer": "Show the answer",
    "chart.alt.xy": "Chart of {y} against {x}.",
    "chart.alt.one": "Chart of {axis}.",
    "chart.alt.none": "Chart.",
    "chart.alt.by": "Colours: {colour}.",
}
