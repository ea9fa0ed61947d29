"""Stage 3, render: a kit -> HTML (Jinja), PDF (WeasyPrint), form, Markdown.

`templates` finds a template folder; `html` renders it (bundled templates trusted, others
sandboxed); `pdf` is the only module that imports WeasyPrint; `forms` restructures the
PDF's form with pikepdf; `markdown` writes the kit for wikis.
"""
