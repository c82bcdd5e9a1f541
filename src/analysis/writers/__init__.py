"""The writers: each takes the site model (analysis.model) and writes its files, and nothing else.

A writer has three methods: `report(report)` writes one report's files (called in the report's worker, so
a writer keeps no state between reports), `page(page)` writes one of the site's own pages, and
`finish(model)` completes the output once every page is written. `site_files` says whether its report files
are part of the site (then a report the previous site holds for the same key is copied, not written again).

- `files.Files`: figures, downloads (CSV, XLSX), assets, provenance.json: the files every site has.
- `pdf.Pdf`: a PDF per report (Typst).
- `deck.Deck`: a PowerPoint deck per report (python-pptx), for the leadership meeting.
- `html.Html`: the built-in site (Jinja2 templates), or `quarto.Quarto`: a Quarto project, rendered.

To add an output, write a class with these three methods and add it to `render.writers`.
"""
