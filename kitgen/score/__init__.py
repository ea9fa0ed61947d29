"""Scoring: filled kit PDFs or paper ratings -> scorecards -> a panel debrief.

`filled` reads an untrusted PDF's form and embedded kit data; `paper` reads ratings typed
from printed kits; `scoring` applies SPEC's formula; `debrief` prints the outputs.
"""
