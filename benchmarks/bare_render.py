"""The floor: import WeasyPrint and render a kit's standalone HTML, nothing else."""

import sys
from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

html, template, target = sys.argv[1:4]
HTML(
    string=Path(html).read_text(encoding="utf-8"), base_url=Path(template).resolve().as_uri() + "/"
).write_pdf(target, font_config=FontConfiguration())
