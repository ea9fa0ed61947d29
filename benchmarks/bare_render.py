"""The floor: import WeasyPrint and render a kit's standalone HTML, nothing else.

bare_render.py KIT.html TEMPLATE_FOLDER OUT.pdf [ua]   # ua: tagged, PDF/UA-1, as kitgen
"""

import sys
from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

html, template, target = sys.argv[1:4]
variant = {"pdf_variant": "pdf/ua-1"} if sys.argv[4:] == ["ua"] else {}
HTML(
    string=Path(html).read_text(encoding="utf-8"), base_url=Path(template).resolve().as_uri() + "/"
).write_pdf(target, font_config=FontConfiguration(), **variant)
